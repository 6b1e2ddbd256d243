package io.zproc.internal.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A context's pre-started spare JVMs, connected and waiting for a task.
 *
 * <p>The pool refills in the background once the process that took a spare has its result (or after
 * {@link #REFILL_DELAY} for a longer task): booting a JVM takes 0.4-0.7 s of CPU, which on a small
 * machine the task needs first. It boots one JVM at a time, when the machine has a core to spare
 * (or after {@link #BOOT_WAIT}). It grows with demand: a start that finds no ready spare (a burst,
 * or starts closer together than a JVM boots) raises the number of spares kept by one, up to {@link
 * #MAX_SPARES}; after {@link #SHRINK_AFTER} without a take it shrinks back to the configured
 * number.
 *
 * <p>A child JVM whose task returned a value and left the JVM as it found it comes back ({@link
 * #offer}), up to {@link #MAX_SPARES} in the pool: the next start takes it warm, with no boot at
 * all. Starts closer together than a JVM boots and bursts are served that way once the first have
 * ended. At most the configured number of JVMs in the pool warm up while they wait ({@code
 * SpareWarmUp}); a JVM back from its task takes a configured spare's place when one is free.
 *
 * <p><b>Threading:</b> thread-safe. JVMs boot on the pool's own thread; {@link #offer} runs on a
 * child's output thread.
 */
final class SparePool implements JvmProcess.Reuse {
  private static final Logger log = LoggerFactory.getLogger(SparePool.class);

  /** The most spares demand can grow the pool to (each idles in about 60 MB). */
  static final int MAX_SPARES = 8;

  /** The longest a take waits before the pool refills (sooner when the task ended). */
  static final Duration REFILL_DELAY = Duration.ofSeconds(1);

  /** The longest a spare's boot waits for the machine to calm down. */
  static final Duration BOOT_WAIT = Duration.ofSeconds(10);

  /** The share of all cores in use above which a spare's boot waits. */
  static final double BUSY_SHARE = 0.75;

  /** How long the pool keeps the spares demand added after the last take. */
  static final Duration SHRINK_AFTER = Duration.ofSeconds(30);

  private final Child.Spec spec;
  private final int spareCount;
  private final AtomicInteger target;
  private final ProcessStats stats;
  private final ConcurrentLinkedDeque<Child> spares = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService refiller;
  private volatile long lastTake = System.nanoTime();
  private final com.sun.management.@Nullable OperatingSystemMXBean os = systemBean();

  /**
   * Held while a JVM joins the pool (a boot, or one back from its task): which JVMs warm up is
   * decided and the JVM added in one step, so that no more than the configured number warm up.
   */
  private final Object joining = new Object();

  /** Whether the pool has begun to fill: the first start finds it empty without any demand. */
  private volatile boolean poolStarted;

  private static com.sun.management.@Nullable OperatingSystemMXBean systemBean() {
    java.lang.management.OperatingSystemMXBean bean =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return bean instanceof com.sun.management.OperatingSystemMXBean
        ? (com.sun.management.OperatingSystemMXBean) bean
        : null;
  }

  /**
   * @param spec how children connect
   * @param spareCount how many pre-started JVMs to keep at rest (0 = none, and no reuse)
   * @param stats where boot times and reuses are counted
   */
  SparePool(Child.Spec spec, int spareCount, ProcessStats stats) {
    this.spec = spec;
    this.spareCount = spareCount;
    this.target = new AtomicInteger(spareCount);
    this.stats = stats;
    this.refiller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zproc-spare-jvms");
              t.setDaemon(true);
              return t;
            });
    if (spareCount > 0) {
      long every = SHRINK_AFTER.toMillis() / 3;
      refiller.scheduleWithFixedDelay(this::shrinkIfIdle, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Takes a spare (booted or still booting: either is ahead of a new JVM), the best it can; when
   * none is ready, once the pool has begun to fill, demand grows the pool by one. Null when the
   * pool is off or empty. The caller refills ({@link #refill}).
   *
   * @param fresh whether only a JVM that never ran a task will do
   */
  @Nullable Child take(boolean fresh) {
    if (spareCount <= 0) {
      return null;
    }
    lastTake = System.nanoTime();
    Child child = takeBest(fresh);
    boolean demand = poolStarted;
    poolStarted = true;
    if ((child == null || !child.isReady()) && demand) {
      target.getAndUpdate(t -> Math.min(Math.max(MAX_SPARES, spareCount), t + 1));
    }
    return child;
  }

  /**
   * The best spare there is, in three passes over the line (a JVM back from its task first, then
   * the oldest spare): a ready one that is not warming up and has warmed up (its state calls run
   * compiled); else a ready one that is not warming up; else any live one, booting or warming. A
   * task sent to a spare in its warm-up waits for the call in flight and shares the JVM with the
   * compiler's work on it (10-50 ms more to a trivial task's result, measured).
   */
  private @Nullable Child takeBest(boolean fresh) {
    for (int pass = 0; pass < 3; pass++) {
      for (Child c : spares) {
        boolean quiet = c.isReady() && !c.isWarming();
        if ((pass == 2 || (quiet && (pass == 1 || c.warmedUp())))
            && c.process.isAlive()
            && (!fresh || c.isFresh())
            && spares.remove(c)) {
          return c;
        }
      }
    }
    return null;
  }

  /**
   * Hands a pre-started spare JVM over to another use (a {@code processMap} worker), and boots its
   * replacement a little later; null if there is none.
   */
  @Nullable Child adopt() {
    if (closed.get()) {
      return null;
    }
    Child child = take(false);
    if (child != null) {
      Mono.delay(REFILL_DELAY).subscribe(v -> refill());
    }
    return child;
  }

  /**
   * Keeps a JVM that ran its task and can run another, up to {@link #MAX_SPARES} in the pool (or
   * the configured number, if larger; the extra ones go after {@link #SHRINK_AFTER} without a
   * take): first in line, as it is the warmest. A JVM that ran a long task may find the pool
   * refilled already; it is kept beside the spare that replaced it, since it is the warmer of the
   * two.
   */
  @Override
  public boolean wants() {
    return !closed.get() && spareCount > 0 && spares.size() < Math.max(MAX_SPARES, spareCount);
  }

  @Override
  public boolean offer(Child child) {
    if (!wants() || !child.process.isAlive()) {
      return false;
    }
    child.attach(pooled(child));
    synchronized (joining) {
      if (Launcher.WARM_UP > 0 && !child.warms() && warmingSpares() < spareCount) {
        child.allowWarmUp(Launcher.WARM_UP); // in a configured spare's place
      }
      spares.addFirst(child);
    }
    if (closed.get() && spares.remove(child)) {
      child.retire(); // the context closed meanwhile: it retires as the other spares did
    }
    stats.reused();
    return true;
  }

  /** Boots spares in the background, one at a time, up to the pool's current size. */
  void refill() {
    if (spareCount <= 0 || closed.get()) {
      return;
    }
    try {
      refiller.execute(this::fillSpares);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile: no more spares
    }
  }

  /** Boots spares one at a time, each until it is ready, up to the pool's current size. */
  private void fillSpares() {
    while (!closed.get() && spares.size() < target.get()) {
      if (!awaitQuietMachine()) {
        return;
      }
      Child child;
      synchronized (joining) {
        if (closed.get() || spares.size() >= target.get()) {
          return; // a JVM back from its task took the place while the boot waited
        }
        try {
          // Only the configured spares warm up: spares that demand added are taken soon, and
          // their warm-ups would compete with the starts that made the demand.
          child =
              Child.start(
                  spec, Launcher.spareCommand(warmingSpares() < spareCount), java.util.Map.of());
        } catch (RuntimeException e) {
          log.warn("cannot pre-start a spare JVM: {}", e.toString());
          return;
        }
        child.whenReady(nanos -> stats.booted(ProcessStats.Kind.SPARE, nanos));
        child.attach(pooled(child));
        spares.add(child);
      }
      try {
        if (!child.awaitReady(30_000) && !child.process.isAlive()) {
          log.warn("a spare JVM exited before it was ready (exit code {})", exitCodeOf(child));
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Waits, at most {@link #BOOT_WAIT}, until the machine has a core to spare for a boot (its CPU
   * load at most {@link #BUSY_SHARE} of all cores): a boot takes 0.4-0.7 s of CPU, which running
   * tasks need more, and a JVM back from its task often fills the place meanwhile. Boots anyway
   * after the wait: a machine busy for longer than that may be busy with anything.
   *
   * @return whether the pool still needs a spare
   */
  private boolean awaitQuietMachine() {
    long deadline = System.nanoTime() + BOOT_WAIT.toNanos();
    try {
      while (machineBusy() && System.nanoTime() - deadline < 0) {
        Thread.sleep(100);
        if (closed.get() || spares.size() >= target.get()) {
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  /** Whether the whole machine's recent CPU load is above {@link #BUSY_SHARE} of its cores. */
  private boolean machineBusy() {
    com.sun.management.OperatingSystemMXBean bean = os;
    if (bean == null) {
      return false;
    }
    double load = bean.getCpuLoad(); // since the previous call, over all cores
    return load > BUSY_SHARE;
  }

  /** Back to the configured number of spares once no take came for {@link #SHRINK_AFTER}. */
  private void shrinkIfIdle() {
    if (closed.get()
        || (target.get() <= spareCount && spares.size() <= spareCount)
        || System.nanoTime() - lastTake < SHRINK_AFTER.toNanos()) {
      return;
    }
    target.set(spareCount);
    Child extra;
    while (spares.size() > spareCount && (extra = spares.pollLast()) != null) {
      extra.retire();
    }
  }

  /** How many JVMs in the pool warm up while they wait (at most the configured number do). */
  private int warmingSpares() {
    int n = 0;
    for (Child c : spares) {
      if (c.warms()) {
        n++;
      }
    }
    return n;
  }

  /** What a JVM in the pool listens with: it leaves the pool when it exits. */
  private Child.Listener pooled(Child child) {
    return new Child.Listener() {
      @Override
      public void frame(String type, byte[] payload) {}

      @Override
      public void exited(int exitCode) {
        spares.remove(child);
      }
    };
  }

  private static int exitCodeOf(Child child) {
    try {
      return child.process.exitValue();
    } catch (IllegalThreadStateException e) {
      return -1;
    }
  }

  /** How many spares the pool keeps now: the configured number, or more under demand. */
  int target() {
    return target.get();
  }

  /** How many spare JVMs are booted, connected and waiting for a task now. */
  int ready() {
    int ready = 0;
    for (Child c : spares) {
      if (c.isReady() && c.process.isAlive()) {
        ready++;
      }
    }
    return ready;
  }

  /** The pids of the spare JVMs waiting now (for tests and monitoring). */
  List<Long> pids() {
    List<Long> pids = new java.util.ArrayList<>();
    for (Child c : spares) {
      pids.add(c.pid());
    }
    return pids;
  }

  /**
   * Retires every spare and waits (at most 30 s each) for them to finish connecting and leave
   * cleanly, before the server may close. Blocks: call on a thread that may.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    refiller.shutdown();
    try {
      refiller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Child> retiring = new ArrayList<>(spares);
    spares.clear();
    for (Child spare : retiring) {
      spare.retire();
    }
    for (Child spare : retiring) {
      try {
        spare.process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }
}
