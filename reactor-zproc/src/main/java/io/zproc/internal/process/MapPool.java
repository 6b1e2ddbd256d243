package io.zproc.internal.process;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.RemoteException;
import io.zproc.State;
import io.zproc.ZProcException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A context's {@code processMap} worker pool. Workers are grouped by kind (backend, JVM options,
 * environment); a group grows to the largest {@code count} of the calls using it and keeps its
 * workers until no call has used them for their keep-alive time ({@link MapOptions#keepAlive}), or
 * until {@link #close()}. Concurrent calls share a group: each worker takes batches from the calls
 * in turn (round robin, one batch per call per turn), and a call never uses more than its {@code
 * count} workers at once. A worker has at most {@value #CAPACITY} batches in flight (one running,
 * one queued). A worker that dies has its batches re-queued first in line and is replaced.
 */
public final class MapPool {
  private static final Logger log = LoggerFactory.getLogger(MapPool.class);

  /** Batches in flight per worker. */
  static final int CAPACITY = 2;

  /** Workers that exit before they are ready, in a row, before a group gives up. */
  private static final int START_FAILURES = 3;

  /** A kind of worker. */
  record Flavor(Backend backend, List<String> jvmOptions, Map<String, String> environment) {}

  private final Child.Spec spec;
  private final Supplier<State> threadState;
  private final Supplier<@Nullable Processes> processes;
  private final Map<Flavor, List<MapWorker>> groups = new HashMap<>();
  private final Map<Flavor, Integer> starting = new HashMap<>();
  private final Map<Flavor, Integer> startFailures = new HashMap<>();
  private final Map<Flavor, Duration> keepAlives = new HashMap<>();
  private final Map<Flavor, Long> idleSince = new HashMap<>();
  private final AtomicLong idleStamps = new AtomicLong();
  private final List<MapRun<?>> runs = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger threadNames = new AtomicInteger();
  private final ExecutorService starter;
  private final MapDispatch dispatch = new MapDispatch();
  private boolean closed;

  /**
   * @param spec how worker JVMs connect to the server
   * @param threadState a new state client of the context's namespace (thread workers)
   */
  public MapPool(Child.Spec spec, Supplier<State> threadState) {
    this(spec, threadState, () -> null);
  }

  /**
   * @param spec how worker JVMs connect to the server
   * @param threadState a new state client of the context's namespace (thread workers)
   * @param processes the context's processes, if it has started any: their pre-started spare JVM
   *     becomes a worker of the plain kind instead of booting one
   */
  public MapPool(
      Child.Spec spec, Supplier<State> threadState, Supplier<@Nullable Processes> processes) {
    this.spec = spec;
    this.threadState = threadState;
    this.processes = processes;
    this.starter =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "zproc-map-start");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * A lazy, ordered map of the items through the job's task; each subscription is a new run.
   *
   * @throws IllegalStateException if the pool is closed
   */
  public <T, R> Flux<R> map(Publisher<? extends T> items, MapJob<T, R> job, MapOptions options) {
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(options, "options");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("this context is closed: it runs no more processMap calls");
      }
    }
    Flavor flavor = flavor(options);
    if (flavor.backend() == Backend.JVM) {
      Processes.requireReachable(spec, "processMap");
    }
    return new Flux<R>() {
      @Override
      public void subscribe(CoreSubscriber<? super R> actual) {
        MapRun<R> run =
            new MapRun<>(
                MapPool.this,
                nextId(),
                actual,
                job.bytes,
                job.loader,
                flavor,
                options.count(),
                sizer(options),
                options.prefetch(),
                options.maxRedeliveries());
        actual.onSubscribe(run);
        if (open(run, options.keepAlive())) {
          items.subscribe(run);
        } else {
          run.drain();
        }
      }
    };
  }

  /** The call's batch sizes: fixed if the options say so, else adaptive. */
  static BatchSizer sizer(MapOptions options) {
    if (options.chunkSize() > 0) {
      return BatchSizer.fixed(options.chunkSize());
    }
    int share = options.prefetch() / (CAPACITY * options.count());
    return BatchSizer.adaptive(Math.max(1, Math.min(MapOptions.MAX_ADAPTIVE_CHUNK, share)));
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  /** Adds a run and makes sure its workers exist; false (the run failed) if the pool is closed. */
  private synchronized boolean open(MapRun<?> run, Duration keepAlive) {
    if (closed) {
      run.fail(0, new IllegalStateException("this context is closed: processMap cannot run"));
      return false;
    }
    runs.add(run);
    keepAlives.put(run.flavor, keepAlive);
    idleSince.remove(run.flavor); // in use again: a pending retirement does nothing
    ensureWorkers(run.flavor);
    return true;
  }

  /**
   * Once no call uses a kind of worker any more, schedules its retirement after its keep-alive
   * time. Under the lock.
   */
  private void idleCheck(Flavor flavor) {
    for (MapRun<?> r : runs) {
      if (r.flavor.equals(flavor)) {
        return;
      }
    }
    if (closed || group(flavor).isEmpty() && starting.getOrDefault(flavor, 0) == 0) {
      return;
    }
    scheduleRetire(flavor, keepAlives.getOrDefault(flavor, Duration.ofSeconds(60)));
  }

  /** Retires the workers of a kind after {@code delay}, unless a call uses them meanwhile. */
  private void scheduleRetire(Flavor flavor, Duration delay) {
    long stamp = idleStamps.incrementAndGet();
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
      Schedulers.parallel().schedule(retire, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Stops the workers of a kind that no call has used since {@code stamp}. Blocking. */
  private void retireIdle(Flavor flavor, long stamp) {
    List<MapWorker> idle;
    synchronized (this) {
      Long since = idleSince.get(flavor);
      if (closed || since == null || since != stamp) {
        return;
      }
      idleSince.remove(flavor);
      idle = new ArrayList<>(group(flavor));
      // Out of the group at once: no batch goes to them, and a new call starts new workers.
      group(flavor).clear();
      if (starting.getOrDefault(flavor, 0) > 0) {
        // Workers still starting join the group when ready: retire them later.
        Duration keepAlive = keepAlives.getOrDefault(flavor, Duration.ofSeconds(60));
        Duration min = Duration.ofMillis(100);
        scheduleRetire(flavor, keepAlive.compareTo(min) < 0 ? min : keepAlive);
      }
    }
    log.debug("stopping {} idle processMap worker(s) of {}", idle.size(), flavor);
    for (MapWorker w : idle) {
      w.retire();
    }
    for (MapWorker w : idle) {
      try {
        if (!w.awaitExit(15_000)) {
          w.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.kill();
      }
    }
  }

  /** How many workers of the kind these options ask for the pool holds (tests, monitoring). */
  public synchronized int workers(MapOptions options) {
    List<MapWorker> group = groups.get(flavor(options));
    return group == null ? 0 : group.size();
  }

  /**
   * How many batches the workers of the kind these options ask for hold now, sent and not answered
   * (tests, monitoring): 0 means none of them is busy.
   */
  public synchronized int batchesInFlight(MapOptions options) {
    List<MapWorker> group = groups.get(flavor(options));
    int n = 0;
    if (group != null) {
      for (MapWorker w : group) {
        n += w.inFlight.size();
      }
    }
    return n;
  }

  /** The kind of worker the options ask for. */
  private static Flavor flavor(MapOptions options) {
    return options.backend() == Backend.THREAD
        ? new Flavor(Backend.THREAD, List.of(), Map.of())
        : new Flavor(Backend.JVM, options.jvmOptions(), options.environment());
  }

  /** Starts workers until the group has as many as its largest active call wants. */
  private void ensureWorkers(Flavor flavor) {
    int wanted = 0;
    for (MapRun<?> run : runs) {
      if (run.flavor.equals(flavor) && !run.terminated) {
        wanted = Math.max(wanted, run.count);
      }
    }
    int live = group(flavor).size() + starting.getOrDefault(flavor, 0);
    for (; live < wanted; live++) {
      starting.merge(flavor, 1, Integer::sum);
      starter.execute(() -> startWorker(flavor));
    }
  }

  private List<MapWorker> group(Flavor flavor) {
    return groups.computeIfAbsent(flavor, f -> new ArrayList<>());
  }

  private void startWorker(Flavor flavor) {
    MapWorker worker;
    try {
      if (flavor.backend() == Backend.THREAD) {
        worker = new MapWorker.InThread(this, flavor, threadState, threadNames.incrementAndGet());
      } else {
        Processes p =
            flavor.jvmOptions().isEmpty() && flavor.environment().isEmpty()
                ? processes.get()
                : null;
        Child spare = p == null ? null : p.adoptSpare();
        worker =
            spare != null
                ? MapWorker.Jvm.adopt(this, flavor, spare)
                : MapWorker.Jvm.start(this, flavor, spec);
      }
    } catch (RuntimeException e) {
      List<MapRun<?>> failed;
      synchronized (this) {
        starting.merge(flavor, -1, Integer::sum);
        failed =
            failFlavor(
                flavor,
                new ZProcException("PROCESS_FAILED", "cannot start a processMap worker: " + e));
      }
      failed.forEach(MapRun::drain);
      return;
    }
    boolean keep;
    synchronized (this) {
      starting.merge(flavor, -1, Integer::sum);
      keep = !closed;
      if (keep) {
        group(flavor).add(worker);
        if (flavor.backend() == Backend.THREAD) {
          worker.ready = true;
        }
      }
    }
    if (worker instanceof MapWorker.Jvm jvm) {
      jvm.begin();
    } else {
      worker.startThread();
    }
    if (!keep) {
      worker.retire();
      try {
        if (!worker.awaitExit(15_000)) {
          worker.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        worker.kill();
      }
      return;
    }
    synchronized (this) {
      dispatch();
    }
  }

  /** Fails every active call of a kind of worker (its workers cannot start). */
  private List<MapRun<?>> failFlavor(Flavor flavor, ZProcException error) {
    List<MapRun<?>> failed = new ArrayList<>();
    for (MapRun<?> run : new ArrayList<>(runs)) {
      if (run.flavor.equals(flavor)) {
        run.fail(run.emitted(), error);
        failed.add(run);
      }
    }
    return failed;
  }

  /** Hands ready batches to workers with room, taking the calls in turn. Under the lock. */
  void dispatch() {
    dispatch.dispatch(runs, this::group, this::assign);
  }

  /** Records a batch as the worker's and sends it (and the call's task, the first time). */
  private void assign(MapRun<?> run, MapWorker worker, MapBatch batch) {
    worker.inFlight.put(batch.id, batch);
    run.load.merge(worker, 1, Integer::sum);
    run.inFlight++;
    if (worker.registered.add(run.id)) {
      worker.send(new MapFrames.Register(run.id, run.task, run.loader));
    }
    worker.send(batch);
  }

  /** Whether another worker holds a batch of the call queued behind the one it runs. */
  private static boolean queuedElsewhere(MapRun<?> run, MapWorker idle) {
    for (Map.Entry<MapWorker, Integer> e : run.load.entrySet()) {
      if (e.getKey() != idle && e.getValue() >= CAPACITY) {
        return true;
      }
    }
    return false;
  }

  /** A run ended: forget it, and tell its workers to drop its task. Under the lock. */
  void ended(MapRun<?> run) {
    runs.remove(run);
    for (MapWorker w : group(run.flavor)) {
      if (w.registered.remove(run.id)) {
        w.send(new MapFrames.Drop(run.id));
      }
    }
    idleCheck(run.flavor);
  }

  /** A worker's outcome frame (on its output thread). */
  void outcome(MapWorker worker, byte[] payload, int off, int len) {
    MapFrames.Outcome outcome;
    MapBatch batch;
    try {
      outcome = MapFrames.readOutcome(payload, off, len);
    } catch (IOException e) {
      log.warn("map worker {} sent a bad frame ({}); killing it", worker.pid(), e.toString());
      worker.kill();
      return;
    }
    synchronized (this) {
      batch = worker.inFlight.get(outcome.batch());
    }
    if (batch == null) {
      return;
    }
    MapRun<?> run = batch.run;
    Object[] results = new Object[0];
    RemoteException error = null;
    if (outcome.status() != MapFrames.ABANDONED) {
      try {
        results =
            MapCodec.decode(
                payload, outcome.resultsAt(), off + len - outcome.resultsAt(), run.loader);
        byte[] e = outcome.error();
        if (e != null) {
          error = (RemoteException) Wire.deserialize(e, run.loader);
        } else if (outcome.status() == MapFrames.FAILED) {
          error = RemoteException.of(new IllegalStateException("the worker failed on this item"));
        }
      } catch (Exception | LinkageError e) {
        results = new Object[0];
        error =
            RemoteException.of(
                new IllegalStateException(
                    "cannot read the results of items "
                        + batch.first
                        + ".."
                        + batch.last()
                        + " from the worker: "
                        + e,
                    e));
      }
    }
    synchronized (this) {
      if (worker.inFlight.remove(outcome.batch()) == null) {
        return; // the worker died meanwhile: the batch was re-queued
      }
      run.release(worker);
      if (outcome.status() == MapFrames.ABANDONED) {
        if (run.needs(batch)) {
          run.ready.addFirst(batch); // not expected: a live call's batch is never abandoned
        }
      } else {
        run.completed(batch, results, error, outcome.nanos());
        if (worker.inFlight.isEmpty() && !run.hasWork() && queuedElsewhere(run, worker)) {
          run.sizer.idle();
        }
      }
      dispatch();
    }
    run.drain();
  }

  /** A batch's items could not be serialized (on the worker's sender thread). */
  void unserializable(MapWorker worker, MapBatch batch, int offset, IOException e) {
    MapRun<?> run = batch.run;
    synchronized (this) {
      if (worker.inFlight.remove(batch.id) == null) {
        return;
      }
      run.release(worker);
      int bad = Math.min(offset, batch.items.length - 1);
      long index = batch.first + bad;
      if (bad > 0) {
        run.ready.addFirst(
            new MapBatch(nextId(), run, batch.first, Arrays.copyOf(batch.items, bad)));
      }
      Object item = batch.items[bad];
      run.fail(
          index,
          new IllegalArgumentException(
              "item "
                  + index
                  + " of processMap"
                  + (item == null ? "" : " (a " + item.getClass().getName() + ")")
                  + " cannot be sent to a worker: "
                  + e
                  + "; items must be Serializable (records, strings, numbers, ...)",
              e));
      dispatch();
    }
    run.drain();
  }

  /** A worker JVM printed its ready frame. */
  synchronized void ready(MapWorker worker) {
    worker.ready = true;
    startFailures.remove(worker.flavor);
  }

  /** A worker ended: its batches go first in line again (or fail the call), and it is replaced. */
  void exited(MapWorker worker, int code) {
    List<MapRun<?>> touched = new ArrayList<>();
    synchronized (this) {
      if (worker.dead) {
        return;
      }
      worker.dead = true;
      group(worker.flavor).remove(worker);
      for (MapBatch batch : worker.inFlight.values()) {
        MapRun<?> run = batch.run;
        run.release(worker);
        if (!run.needs(batch)) {
          touched.add(run);
          continue;
        }
        batch.deaths.add(code);
        if (batch.deaths.size() > run.maxRedeliveries) {
          run.fail(
              batch.first,
              new ZProcException(
                  "PROCESS_FAILED",
                  "items "
                      + batch.first
                      + ".."
                      + batch.last()
                      + " of processMap were in "
                      + batch.deaths.size()
                      + " worker JVMs that died (exit codes "
                      + batch.deaths
                      + "): the task may end its JVM (System.exit, OutOfMemoryError, a crash), or"
                      + " the workers cannot run (check MapOptions.jvmOptions and the output"
                      + " above); MapOptions.maxRedeliveries("
                      + run.maxRedeliveries
                      + ") is the limit"));
        } else {
          log.debug(
              "map worker {} died (exit code {}); re-running items {}..{}",
              worker.pid(),
              code,
              batch.first,
              batch.last());
          run.ready.addFirst(batch);
        }
        touched.add(run);
      }
      worker.inFlight.clear();
      worker.registered.clear();
      if (!closed) {
        if (!worker.ready) {
          int failures = startFailures.merge(worker.flavor, 1, Integer::sum);
          if (failures >= START_FAILURES) {
            startFailures.remove(worker.flavor);
            touched.addAll(
                failFlavor(
                    worker.flavor,
                    new ZProcException(
                        "PROCESS_FAILED",
                        failures
                            + " processMap worker JVMs in a row exited before they were ready"
                            + " (last exit code "
                            + code
                            + "); check MapOptions.jvmOptions "
                            + worker.flavor.jvmOptions()
                            + lastWords(worker.lastErrorOutput()))));
          }
        }
        ensureWorkers(worker.flavor);
        dispatch();
      }
    }
    touched.forEach(MapRun::drain);
  }

  /**
   * Fails running calls, retires every worker and waits for them to leave (killing stragglers).
   * Blocks up to about 15 s.
   */
  public void close() {
    List<MapWorker> all = new ArrayList<>();
    List<MapRun<?>> active;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      groups.values().forEach(all::addAll);
      active = new ArrayList<>(runs);
      for (MapRun<?> run : active) {
        run.fail(
            run.emitted(),
            new ZProcException(
                "CONNECTION_CLOSED",
                "the context was closed while processMap was running, after "
                    + run.emitted()
                    + " results"));
      }
    }
    active.forEach(MapRun::drain);
    starter.shutdown();
    try {
      if (!starter.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("processMap workers still starting after 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (MapWorker w : all) {
      w.retire();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (MapWorker w : all) {
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

  /** What a worker JVM that never became ready said on its stderr, for the error. */
  private static String lastWords(String stderr) {
    return stderr.isEmpty() ? " and the output above" : "; the last one wrote: " + stderr;
  }
}
