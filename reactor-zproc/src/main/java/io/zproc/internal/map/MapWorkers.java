package io.zproc.internal.map;

import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * The lifecycle of a pool's workers, by kind: starts them (on the starter, one task per worker) up
 * to what the calls want, adds them to their group when they are up, takes dead ones out (counting
 * the ones that died before they were ready), retires a kind's workers once no call has used them
 * for its keep-alive time, and stops them all on {@link #close()}. It does not decide what a worker
 * runs (that is {@link MapDispatch}) nor what happens to its batches (the pool). Its state is
 * guarded by the pool's lock, which callers marked "under the lock" hold.
 */
final class MapWorkers {
  private static final Logger log = LoggerFactory.getLogger(MapWorkers.class);

  /** Workers that exit before they are ready, in a row, before a kind gives up. */
  static final int START_FAILURES = 3;

  /** Makes a worker of a kind; blocks while it forks. */
  interface Factory {
    MapWorker start(MapPool.Flavor flavor);
  }

  /** What the lifecycle needs of the pool. */
  interface Pool {
    /** The most workers the active calls of a kind want (under the lock). */
    int wanted(MapPool.Flavor flavor);

    /** Whether an active call uses a kind (under the lock). */
    boolean inUse(MapPool.Flavor flavor);

    /** A worker joined its group: batches may go to it (under the lock). */
    void joined(MapPool.Flavor flavor);

    /** A worker of a kind could not be started (not under the lock). */
    void cannotStart(MapPool.Flavor flavor, ZProcException error);
  }

  private final Object lock;
  private final Pool pool;
  private final Factory factory;
  private final ExecutorService starter;
  private final Scheduler timer;
  private final Map<MapPool.Flavor, List<MapWorker>> groups = new HashMap<>();
  private final Map<MapPool.Flavor, Integer> starting = new HashMap<>();
  private final Map<MapPool.Flavor, Integer> startFailures = new HashMap<>();
  private final Map<MapPool.Flavor, Duration> keepAlives = new HashMap<>();
  private final Map<MapPool.Flavor, Long> idleSince = new HashMap<>();
  private long idleStamps;
  private boolean closed;

  /**
   * @param lock the pool's lock
   * @param pool the pool's side
   * @param factory makes workers
   * @param starter runs the blocking work: starts, retirements
   * @param timer schedules retirements after the keep-alive time
   */
  MapWorkers(Object lock, Pool pool, Factory factory, ExecutorService starter, Scheduler timer) {
    this.lock = lock;
    this.pool = pool;
    this.factory = factory;
    this.starter = starter;
    this.timer = timer;
  }

  /** The workers of a kind that are up (under the lock). */
  List<MapWorker> group(MapPool.Flavor flavor) {
    return groups.computeIfAbsent(flavor, f -> new ArrayList<>());
  }

  /** Every worker that is up, of every kind (under the lock). */
  List<MapWorker> all() {
    List<MapWorker> all = new ArrayList<>();
    for (List<MapWorker> group : groups.values()) {
      all.addAll(group);
    }
    return all;
  }

  /** How many workers of a kind are starting (under the lock). */
  int starting(MapPool.Flavor flavor) {
    return starting.getOrDefault(flavor, 0);
  }

  /**
   * A call uses a kind: a pending retirement does nothing, and workers start until the kind has
   * what its calls want (under the lock).
   */
  void use(MapPool.Flavor flavor, Duration keepAlive) {
    keepAlives.put(flavor, keepAlive);
    idleSince.remove(flavor);
    ensure(flavor);
  }

  /**
   * Starts workers until the group has as many as its largest active call wants (under the lock).
   */
  void ensure(MapPool.Flavor flavor) {
    if (closed) {
      return;
    }
    int wanted = pool.wanted(flavor);
    int live = group(flavor).size() + starting(flavor);
    for (; live < wanted; live++) {
      starting.merge(flavor, 1, Integer::sum);
      try {
        starter.execute(() -> start(flavor));
      } catch (RejectedExecutionException e) {
        starting.merge(flavor, -1, Integer::sum); // closing
        return;
      }
    }
  }

  private void start(MapPool.Flavor flavor) {
    MapWorker worker;
    try {
      worker = factory.start(flavor);
    } catch (RuntimeException e) {
      synchronized (lock) {
        starting.merge(flavor, -1, Integer::sum);
      }
      pool.cannotStart(
          flavor,
          new ZProcException(ErrorCode.PROCESS_FAILED, "cannot start a processMap worker: " + e));
      return;
    }
    boolean keep;
    synchronized (lock) {
      starting.merge(flavor, -1, Integer::sum);
      keep = !closed;
      if (keep) {
        group(flavor).add(worker);
      }
    }
    worker.begin();
    if (!keep) {
      stop(List.of(worker));
      return;
    }
    synchronized (lock) {
      pool.joined(flavor);
    }
  }

  /** A worker said it is ready (under the lock). */
  void ready(MapWorker worker) {
    worker.ready = true;
    startFailures.remove(worker.flavor);
  }

  /**
   * A worker died: out of its group. Returns how many workers of its kind in a row died before they
   * were ready, once that reaches {@value #START_FAILURES} (then the count starts again), else 0
   * (under the lock).
   */
  int died(MapWorker worker) {
    group(worker.flavor).remove(worker);
    if (worker.ready || closed) {
      return 0;
    }
    int failures = startFailures.merge(worker.flavor, 1, Integer::sum);
    if (failures >= START_FAILURES) {
      startFailures.remove(worker.flavor);
      return failures;
    }
    return 0;
  }

  /**
   * Once no call uses a kind any more, schedules its workers' retirement after its keep-alive time
   * (under the lock).
   */
  void idleCheck(MapPool.Flavor flavor) {
    if (closed || pool.inUse(flavor) || group(flavor).isEmpty() && starting(flavor) == 0) {
      return;
    }
    scheduleRetire(flavor, keepAlives.getOrDefault(flavor, Duration.ofSeconds(60)));
  }

  private void scheduleRetire(MapPool.Flavor flavor, Duration delay) {
    long stamp = ++idleStamps;
    idleSince.put(flavor, stamp);
    Runnable retire =
        () -> {
          try {
            starter.execute(() -> retireIdle(flavor, stamp));
          } catch (RejectedExecutionException e) {
            // closed meanwhile: close() stops the workers
          }
        };
    if (delay.isZero()) {
      retire.run();
    } else {
      timer.schedule(retire, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the workers of a kind that no call has used since {@code stamp}. Blocking. */
  private void retireIdle(MapPool.Flavor flavor, long stamp) {
    List<MapWorker> idle;
    synchronized (lock) {
      Long since = idleSince.get(flavor);
      if (closed || since == null || since != stamp) {
        return;
      }
      idleSince.remove(flavor);
      idle = new ArrayList<>(group(flavor));
      // Out of the group at once: no batch goes to them, and a new call starts new workers.
      group(flavor).clear();
      if (starting(flavor) > 0) {
        // Workers still starting join the group when ready: retire them later.
        Duration keepAlive = keepAlives.getOrDefault(flavor, Duration.ofSeconds(60));
        Duration min = Duration.ofMillis(100);
        scheduleRetire(flavor, keepAlive.compareTo(min) < 0 ? min : keepAlive);
      }
    }
    log.debug("stopping {} idle processMap worker(s) of {}", idle.size(), flavor);
    stop(idle);
  }

  /** Retires the workers and waits up to 15 s for them to leave, killing stragglers. Blocking. */
  private static void stop(List<MapWorker> workers) {
    for (MapWorker w : workers) {
      w.retire();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (MapWorker w : workers) {
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (!w.awaitExit(left)) {
          log.warn("map worker {} did not leave in time; killing it", w.pid());
          w.kill();
          w.awaitExit(5000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.kill();
      }
    }
  }

  /** Marks the lifecycle closed (under the lock); {@link #stopAll()} then stops the workers. */
  List<MapWorker> close() {
    closed = true;
    List<MapWorker> all = new ArrayList<>();
    groups.values().forEach(all::addAll);
    return all;
  }

  /**
   * Waits for workers still starting (they stop at once), then stops the given ones. Blocks up to
   * about 45 s; not under the lock.
   */
  void stopAll(List<MapWorker> workers) {
    starter.shutdown();
    try {
      if (!starter.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("processMap workers still starting after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop(workers);
  }
}
