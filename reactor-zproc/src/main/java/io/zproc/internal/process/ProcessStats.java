package io.zproc.internal.process;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a context's processes did, for monitoring: how many started and how, how many run now, and
 * how long each child JVM took to boot. Plain counters with no metrics library behind them (the
 * {@code io.zproc.metrics} binder reads them); not a place to count anything else.
 *
 * <p>Thread-safe; every method is non-blocking. Boot observers are called on the child's output
 * thread and must be quick.
 */
public final class ProcessStats {

  /** How a process got its JVM, or what a child JVM was booted for. */
  public enum Kind {
    /** A pre-started spare JVM (taken by a process, or booted for the spare pool). */
    SPARE("spare"),
    /** A JVM booted for that one process. */
    JVM("jvm"),
    /** A thread of this JVM ({@code Backend.THREAD}). */
    THREAD("thread");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }

    /** The kind's name as a metrics tag value: {@code spare}, {@code jvm} or {@code thread}. */
    public String tag() {
      return tag;
    }
  }

  /** Told each time a child JVM has booted and connected to the server. */
  @FunctionalInterface
  public interface BootObserver {
    /**
     * A child JVM connected.
     *
     * @param kind {@link Kind#SPARE} for a JVM booted for the spare pool, {@link Kind#JVM} for one
     *     booted for a process
     * @param nanos from just before the fork to the child's ready signal
     */
    void booted(Kind kind, long nanos);
  }

  private final LongAdder[] started = new LongAdder[Kind.values().length];
  private final AtomicInteger running = new AtomicInteger();
  private final CopyOnWriteArrayList<BootObserver> observers = new CopyOnWriteArrayList<>();

  private final LongAdder reused = new LongAdder();

  /** No process started yet. */
  public ProcessStats() {
    for (int i = 0; i < started.length; i++) {
      started[i] = new LongAdder();
    }
  }

  /** How many processes of this kind were started since the context was made. */
  public long started(Kind kind) {
    return started[kind.ordinal()].sum();
  }

  /** How many processes the context started that have not ended yet. */
  public int running() {
    return running.get();
  }

  /**
   * Adds an observer of child JVM boots.
   *
   * @return removes it (idempotent)
   */
  public Runnable observeBoots(BootObserver observer) {
    Objects.requireNonNull(observer, "observer");
    observers.add(observer);
    return () -> observers.remove(observer);
  }

  /** A process started: counted now, and running until {@code ended} is called. */
  void start(Kind kind) {
    started[kind.ordinal()].increment();
    running.incrementAndGet();
  }

  /** A child JVM ran its task and went back to the spare pool for another. */
  void reused() {
    reused.increment();
  }

  /**
   * How many times a child JVM went back to the spare pool after its task (each such JVM serves a
   * later start of {@link Kind#SPARE}, with no boot).
   */
  public long reusedJvms() {
    return reused.sum();
  }

  /** A process that {@link #started(Kind)} ended. */
  void ended() {
    running.decrementAndGet();
  }

  void booted(Kind kind, long nanos) {
    for (BootObserver o : observers) {
      try {
        o.booted(kind, nanos);
      } catch (RuntimeException e) {
        // an observer's failure must not reach the child's output thread
        org.slf4j.LoggerFactory.getLogger(ProcessStats.class).debug("a boot observer failed", e);
      }
    }
  }
}
