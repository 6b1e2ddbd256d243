package io.zproc.internal.child;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.internal.process.ChildPipe;
import io.zproc.internal.process.Launcher;
import io.zproc.internal.process.TaskFrame;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Warms a spare JVM while it waits for its task: runs the state calls that tasks make (put, get,
 * increment, atomic, a satisfied and a pending {@code whenEqual}) in rounds against the parent's
 * server, in a namespace of its own ({@link #NAMESPACE}), so that the JIT has compiled the client's
 * paths (and the server's) before a task needs them. A fresh JVM runs its first few hundred calls
 * interpreted: warm, a spare's task runs them several times faster.
 *
 * <p>Only on idle cycles: it pauses while the rest of the machine is busy (the user's work comes
 * first: see {@link #idleEnough}), stops between two calls when a task arrives (a task waits at
 * most one call), and stops for good after {@link Launcher#WARM_UP_ROUNDS} rounds or at the first
 * failure. Only against a server on this host (a unix socket or a loopback address).
 */
final class SpareWarmUp {
  /** The namespace the spares warm up in: one for all, each with keys of its own. */
  static final String NAMESPACE = "zproc.internal.warm-up";

  /** The longest one call may take: a stuck call ends the warm-up, never the spare. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

  /** How much garbage the warm-up makes before it collects (see {@link #collectIfGrown}). */
  private static final long GARBAGE_BYTES = 8L << 20;

  /** How often the machine's load is read. */
  private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * How long a spare waits before it warms: a task that comes sooner (a cold child's at once, or
   * the next of a series of starts a few seconds apart) finds it quiet. A task that comes during
   * the warm-up meets a JVM that compiles: 10-20 ms more to its result, measured with trivial
   * tasks.
   */
  static final long START_AFTER_MILLIS = 3_000;

  /** Whether this JVM has warmed up: once is enough, a reused JVM does not warm up again. */
  private static volatile boolean ran;

  /** The rounds the parent allowed after a task ({@link #allow}); 0 until then. */
  private static volatile int allowed;

  private final BlockingQueue<TaskFrame> tasks;
  private final State state;
  private final State other;
  private final String prefix;
  private final com.sun.management.@Nullable OperatingSystemMXBean os;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long heapAtStart = memory.getHeapMemoryUsage().getUsed();
  private @Nullable TaskFrame task;
  private volatile boolean done;
  private boolean active;

  private SpareWarmUp(BlockingQueue<TaskFrame> tasks, State state, State other, String prefix) {
    this.tasks = tasks;
    this.state = state;
    this.other = other;
    this.prefix = prefix;
    OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
    this.os =
        bean instanceof com.sun.management.OperatingSystemMXBean
            ? (com.sun.management.OperatingSystemMXBean) bean
            : null;
  }

  /**
   * Warms up (when enabled and the server is on this host) until the task arrives, then returns it;
   * blocks until then.
   */
  static TaskFrame untilTask(
      BlockingQueue<TaskFrame> tasks, ZProc ctx, String address, Consumer<String> tell)
      throws InterruptedException {
    TaskFrame first;
    do {
      int rounds = Math.max(allowed, Integer.getInteger(Launcher.WARM_UP_ROUNDS, 0));
      if (rounds <= 0 || ran || !local(address)) {
        first = tasks.take();
      } else {
        first = tasks.poll(START_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          return warmUp(tasks, ctx, rounds, tell);
        }
      }
    } while (first == TaskFrame.WARM); // allowed meanwhile: wait (again) before warming up
    return first;
  }

  /**
   * Lets this JVM warm up with {@code rounds} rounds (once): it went back to the pool after its
   * task and takes a configured spare's place.
   */
  static void allow(int rounds) {
    allowed = rounds;
  }

  private static TaskFrame warmUp(
      BlockingQueue<TaskFrame> tasks, ZProc ctx, int rounds, Consumer<String> tell)
      throws InterruptedException {
    ran = true;
    // Two clients: a State's waits are not woken by its own changes.
    SpareWarmUp warmUp =
        new SpareWarmUp(
            tasks,
            ctx.state(NAMESPACE),
            ctx.state(NAMESPACE),
            "p" + ProcessHandle.current().pid() + ".");
    try {
      warmUp.run(rounds, tell);
    } finally {
      warmUp.quiet(tell);
    }
    TaskFrame arrived = warmUp.task;
    if (arrived != null && arrived != TaskFrame.WARM) {
      return arrived;
    }
    System.gc(); // what the warm-up left goes before the spare idles
    TaskFrame next;
    while ((next = tasks.take()) == TaskFrame.WARM) {
      // warmed already
    }
    return next;
  }

  /** Whether the server is on this host: a unix socket, an in-JVM address or a loopback one. */
  static boolean local(String address) {
    try {
      URI uri = URI.create(address);
      String scheme = uri.getScheme();
      if (scheme == null) {
        return false;
      }
      if (scheme.equals("unix") || scheme.equals("local")) {
        return true;
      }
      String host = uri.getHost();
      return host != null
          && (host.equals("localhost")
              || host.startsWith("127.")
              || host.equals("[::1]")
              || host.equals("::1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Tells the parent the rounds paused or ended, if they ran. */
  private void quiet(Consumer<String> tell) {
    if (active) {
      active = false;
      tell.accept(ChildPipe.WARMED);
    }
  }

  private void run(int rounds, Consumer<String> tell) throws InterruptedException {
    SynchronousQueue<Integer> toPut = new SynchronousQueue<>();
    Thread putter = new Thread(() -> putLoop(toPut), "zproc-spare-warm-up");
    putter.setDaemon(true);
    putter.start();
    long nextCheck = 0;
    try {
      for (int round = 1; round <= rounds; ) {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
          nextCheck = now + CHECK_NANOS;
          if (!idleEnough()) {
            quiet(tell);
            task = notWarm(tasks.poll(CHECK_NANOS, TimeUnit.NANOSECONDS));
            if (task != null) {
              return;
            }
            continue;
          }
        }
        if (!active) {
          active = true;
          tell.accept(ChildPipe.WARMING);
        }
        if (!round(round, toPut)) {
          return;
        }
        round++;
        collectIfGrown();
      }
    } catch (RuntimeException e) {
      // best effort: a failed call ends the warm-up, the task will meet the cause with context
    } finally {
      // Not an interrupt: one in the middle of a call would close the connection's channel.
      done = true;
      state.remove(prefix + "k").then(state.remove(prefix + "n")).subscribe(null, e -> {});
    }
  }

  /** One round of the calls tasks make; false once a task has arrived. */
  private boolean round(int i, SynchronousQueue<Integer> toPut) throws InterruptedException {
    String k = prefix + "k";
    state.put(k, i).block(CALL_TIMEOUT);
    if (arrived()) {
      return false;
    }
    state.get(k).block(CALL_TIMEOUT);
    if (arrived()) {
      return false;
    }
    state.increment(prefix + "n", 1).block(CALL_TIMEOUT);
    if (arrived()) {
      return false;
    }
    state.atomic(m -> m.put(k, -i)).block(CALL_TIMEOUT);
    if (arrived()) {
      return false;
    }
    state.whenEqual(k, -i).block(CALL_TIMEOUT);
    if (arrived()) {
      return false;
    }
    // A wait that the other thread's put, from another client, releases (or that finds the value
    // already there).
    if (!toPut.offer(i, CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    state.whenEqual(k, i).block(CALL_TIMEOUT);
    return !arrived();
  }

  /**
   * Collects once the warm-up's garbage passes {@link #GARBAGE_BYTES}: the next allocations then
   * reuse the same few megabytes of the young generation instead of touching all of it, which would
   * leave an idle spare 90 MB larger (measured with the parallel collector's default young
   * generation, ~110 MB on a 24 GB machine).
   */
  private void collectIfGrown() {
    if (memory.getHeapMemoryUsage().getUsed() - heapAtStart > GARBAGE_BYTES) {
      System.gc();
    }
  }

  private void putLoop(SynchronousQueue<Integer> toPut) {
    try {
      while (!done) {
        Integer value = toPut.poll(CHECK_NANOS, TimeUnit.NANOSECONDS);
        if (value != null) {
          other.put(prefix + "k", value).block(CALL_TIMEOUT);
        }
      }
    } catch (InterruptedException | RuntimeException e) {
      // the warm-up ends at its next check
    }
  }

  /** The frame, or null for none or a {@link TaskFrame#WARM} (this JVM warms up already). */
  private static @Nullable TaskFrame notWarm(@Nullable TaskFrame frame) {
    return frame == TaskFrame.WARM ? null : frame;
  }

  private boolean arrived() {
    task = notWarm(tasks.poll());
    return task != null;
  }

  /**
   * Whether the rest of the machine is nearly idle: what all processes use, less this one, at most
   * half of all cores but one (a quarter of a core on one). A spare's calls load the server too,
   * which is often in the application's own JVM: with one core of work elsewhere on two cores, it
   * waits. Without the figures, always.
   */
  private boolean idleEnough() {
    com.sun.management.OperatingSystemMXBean bean = os;
    if (bean == null) {
      return true;
    }
    double all = bean.getCpuLoad();
    double own = bean.getProcessCpuLoad();
    if (all < 0 || own < 0) {
      return true;
    }
    return (all - own) * cores <= Math.max(0.25, (cores - 1) / 2.0);
  }
}
