package io.zproc.internal.map;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.State;
import io.zproc.ZProcException;
import io.zproc.internal.process.Child;
import io.zproc.internal.process.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 *
 * <p>The parts: {@link MapRun} is one call (its source, demand and batches; {@link MapReorder} puts
 * its results back in order, {@link BatchSizer} sizes its batches); {@link MapDispatch} chooses
 * which batch goes to which worker; {@link MapWorkers} starts, replaces and retires the workers.
 * The pool ties them together under its lock: it records batches in flight, reads the workers'
 * outcomes and re-runs the batches of workers that die.
 */
public final class MapPool {
  private static final Logger log = LoggerFactory.getLogger(MapPool.class);

  /** Batches in flight per worker. */
  static final int CAPACITY = 2;

  /** A kind of worker: remote ones are lanes to the server's joined workers. */
  record Flavor(
      Backend backend, List<String> jvmOptions, Map<String, String> environment, boolean remote) {}

  private final Child.Spec spec;
  private final Supplier<State> threadState;
  private final Supplier<@Nullable Processes> processes;
  private final @Nullable RemoteBatches remote;
  private final RemoteMapWorker.Tasks remoteTasks = new RemoteMapWorker.Tasks();
  private final List<MapRun<?>> runs = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger threadNames = new AtomicInteger();
  private final MapWorkers workers;
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
    this(spec, threadState, processes, null);
  }

  /**
   * @param remote how batches reach the remote workers of the context's server ({@code
   *     MapOptions.remote}), or null if this pool has none
   */
  public MapPool(
      Child.Spec spec,
      Supplier<State> threadState,
      Supplier<@Nullable Processes> processes,
      @Nullable RemoteBatches remote) {
    this.spec = spec;
    this.threadState = threadState;
    this.processes = processes;
    this.remote = remote;
    ExecutorService starter =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "zproc-map-start");
              t.setDaemon(true);
              return t;
            });
    this.workers =
        new MapWorkers(this, new Side(), this::startWorker, starter, Schedulers.parallel());
  }

  /** The pool as its workers' lifecycle sees it. */
  private final class Side implements MapWorkers.Pool {
    @Override
    public int wanted(Flavor flavor) {
      int wanted = 0;
      for (MapRun<?> run : runs) {
        if (run.flavor.equals(flavor) && !run.terminated) {
          wanted = Math.max(wanted, run.count);
        }
      }
      return wanted;
    }

    @Override
    public boolean inUse(Flavor flavor) {
      for (MapRun<?> r : runs) {
        if (r.flavor.equals(flavor)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void joined(Flavor flavor) {
      dispatch();
    }

    @Override
    public void cannotStart(Flavor flavor, ZProcException error) {
      List<MapRun<?>> failed;
      synchronized (MapPool.this) {
        failed = failFlavor(flavor, error);
      }
      failed.forEach(MapRun::drain);
    }
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
    if (flavor.remote() && remote == null) {
      throw new IllegalStateException("this context cannot reach remote processMap workers");
    }
    if (flavor.backend() == Backend.JVM && !flavor.remote()) {
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
                BatchSizer.of(options, CAPACITY),
                options.prefetch(),
                options.maxRedeliveries());
        if (flavor.remote()) {
          run.allow = AllowList.results(job.taskClass);
        }
        actual.onSubscribe(run);
        if (open(run, options.keepAlive())) {
          items.subscribe(run);
        } else {
          run.drain();
        }
      }
    };
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
    workers.use(run.flavor, keepAlive);
    return true;
  }

  /** What the calls of this pool did (for monitoring). */
  final MapStats stats = new MapStats();

  /** What the calls of this pool did (for monitoring). */
  public MapStats stats() {
    return stats;
  }

  /** How many workers the pool holds, of every kind (monitoring). */
  public synchronized int workerCount() {
    return workers.all().size();
  }

  /** How many of the pool's workers run a batch now (monitoring). */
  public synchronized int busyWorkers() {
    int n = 0;
    for (MapWorker w : workers.all()) {
      if (!w.inFlight.isEmpty()) {
        n++;
      }
    }
    return n;
  }

  /** How many workers of the kind these options ask for the pool holds (tests, monitoring). */
  public synchronized int workers(MapOptions options) {
    return workers.group(flavor(options)).size();
  }

  /**
   * How many batches the workers of the kind these options ask for hold now, sent and not answered
   * (tests, monitoring): 0 means none of them is busy.
   */
  public synchronized int batchesInFlight(MapOptions options) {
    int n = 0;
    for (MapWorker w : workers.group(flavor(options))) {
      n += w.inFlight.size();
    }
    return n;
  }

  /** The kind of worker the options ask for. */
  private static Flavor flavor(MapOptions options) {
    if (options.remote()) {
      return new Flavor(Backend.JVM, List.of(), Map.of(), true);
    }
    return options.backend() == Backend.THREAD
        ? new Flavor(Backend.THREAD, List.of(), Map.of(), false)
        : new Flavor(Backend.JVM, options.jvmOptions(), options.environment(), false);
  }

  /** Makes a worker of a kind: a thread, the context's spare JVM, or a new JVM. Blocking. */
  private MapWorker startWorker(Flavor flavor) {
    RemoteBatches r = remote;
    if (flavor.remote() && r != null) {
      return new RemoteMapWorker(this, flavor, r, remoteTasks, threadNames.incrementAndGet());
    }
    if (flavor.backend() == Backend.THREAD) {
      return new MapWorker.InThread(this, flavor, threadState, threadNames.incrementAndGet());
    }
    Processes p =
        flavor.jvmOptions().isEmpty() && flavor.environment().isEmpty() ? processes.get() : null;
    Child spare = p == null ? null : p.adoptSpare();
    return spare != null
        ? MapWorker.Jvm.adopt(this, flavor, spare)
        : MapWorker.Jvm.start(this, flavor, spec);
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
    dispatch.dispatch(runs, workers::group, this::assign);
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
    for (MapWorker w : workers.group(run.flavor)) {
      if (w.registered.remove(run.id)) {
        w.send(new MapFrames.Drop(run.id));
      }
    }
    workers.idleCheck(run.flavor);
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
    MapResults read = MapResults.read(outcome, payload, off + len, batch);
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
        run.completed(batch, read.values(), read.error(), outcome.nanos());
        if (worker.inFlight.isEmpty() && !run.hasWork() && queuedElsewhere(run, worker)) {
          run.sizer.idle();
        }
      }
      dispatch();
    }
    run.drain();
  }

  /** A worker JVM printed its ready frame. */
  synchronized void ready(MapWorker worker) {
    workers.ready(worker);
  }

  /** A worker ended: its batches go first in line again (or fail the call), and it is replaced. */
  void exited(MapWorker worker, int code) {
    List<MapRun<?>> touched = new ArrayList<>();
    synchronized (this) {
      if (worker.dead) {
        return;
      }
      worker.dead = true;
      int startFailures = workers.died(worker);
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
        if (startFailures > 0) {
          touched.addAll(
              failFlavor(
                  worker.flavor,
                  new ZProcException(
                      "PROCESS_FAILED",
                      startFailures
                          + " processMap worker JVMs in a row exited before they were ready"
                          + " (last exit code "
                          + code
                          + "); check MapOptions.jvmOptions "
                          + worker.flavor.jvmOptions()
                          + lastWords(worker.lastErrorOutput()))));
        }
        workers.ensure(worker.flavor);
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
    List<MapWorker> all;
    List<MapRun<?>> active;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = workers.close();
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
    workers.stopAll(all);
  }

  /** What a worker JVM that never became ready said on its stderr, for the error. */
  private static String lastWords(String stderr) {
    return stderr.isEmpty() ? " and the output above" : "; the last one wrote: " + stderr;
  }
}
