package io.zproc.internal.map;

import io.zproc.State;
import io.zproc.internal.process.Child;
import io.zproc.internal.process.ChildPipe;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent's handle on one map worker: what it runs (guarded by the pool), and an outbox drained
 * by the worker's own thread, so that handing it work never blocks the caller.
 */
abstract class MapWorker {
  private static final Logger log = LoggerFactory.getLogger(MapWorker.class);

  final MapPool pool;
  final MapPool.Flavor flavor;

  /** Batches sent and not answered, by id (guarded by the pool). */
  final Map<Long, MapBatch> inFlight = new HashMap<>();

  /** Calls whose task this worker has (guarded by the pool). */
  final Set<Long> registered = new HashSet<>();

  /** Guarded by the pool. */
  boolean dead;

  /** Guarded by the pool. */
  boolean ready;

  private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
  private final MapBuffer buffer = new MapBuffer();
  private volatile boolean stopped;
  private final Thread thread;

  MapWorker(MapPool pool, MapPool.Flavor flavor, String threadName) {
    this.pool = pool;
    this.flavor = flavor;
    this.thread = new Thread(this::drainOutbox, threadName);
    this.thread.setDaemon(true);
  }

  final void startThread() {
    thread.start();
  }

  /** Starts the worker's thread (and listening, for a JVM); once the pool knows the worker. */
  void begin() {
    startThread();
  }

  /** Queues a register, a drop or a {@link MapBatch}; never blocks. */
  void send(Object message) {
    outbox.add(message);
    LockSupport.unpark(thread);
  }

  /** Ends the worker's thread after the message it is handling. */
  final void stopThread() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  final boolean threadAlive() {
    return thread.isAlive();
  }

  final void joinThread(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
  }

  private void drainOutbox() {
    while (!stopped) {
      Object message = outbox.poll();
      if (message == null) {
        LockSupport.park(this);
        continue;
      }
      try {
        if (message instanceof MapBatch batch) {
          buffer.clear();
          try {
            MapFrames.batch(
                buffer, batch.run.id, batch.id, batch.first, batch.items, batch.items.length);
          } catch (IOException e) {
            MapRequeue.unserializable(
                pool, this, batch, MapWorkerLoop.firstUnserializable(batch.items), e);
            continue;
          }
          deliverBatch(batch, buffer);
        } else {
          deliver(message);
        }
      } catch (IOException e) {
        log.debug("map worker {} did not take a frame: {}", pid(), e.toString());
      } catch (VirtualMachineError e) {
        log.warn("map worker thread died: {}", e.toString());
        pool.exited(this, 1);
        return;
      }
    }
  }

  /** Hands a register or drop frame to the worker, on the worker's thread. */
  abstract void deliver(Object frame) throws IOException;

  /** Hands an encoded batch frame ({@link MapFrames#batch}) to the worker, on its thread. */
  abstract void deliverBatch(MapBatch batch, MapBuffer frame) throws IOException;

  abstract long pid();

  /**
   * Asks the worker to leave once its current item is done. By default, for a worker whose work
   * runs on this JVM (a thread, or a lane to remote workers): its outbox thread ends.
   */
  void retire() {
    stopThread();
  }

  /** Waits for the worker to end; by default, for its outbox thread to end. */
  boolean awaitExit(long millis) throws InterruptedException {
    joinThread(millis);
    return !threadAlive();
  }

  abstract void kill();

  /** What the worker wrote to stderr last (empty for a thread worker). */
  String lastErrorOutput() {
    return "";
  }

  /** A worker JVM: a child started by the launcher, told to serve maps. */
  static final class Jvm extends MapWorker implements Child.Listener {
    private final Child child;
    private final MapBuffer frames = new MapBuffer();

    private Jvm(MapPool pool, MapPool.Flavor flavor, Child child) {
      super(pool, flavor, "zproc-map-worker-" + child.pid());
      this.child = child;
    }

    /** Forks a worker JVM (blocks for the fork). */
    static Jvm start(MapPool pool, MapPool.Flavor flavor, Child.Spec spec) {
      Child child = Child.start(spec, flavor.jvmOptions(), flavor.environment(), false);
      return toldToWork(new Jvm(pool, flavor, child));
    }

    @Override
    String lastErrorOutput() {
      return child.lastErrorOutput();
    }

    /** Makes a pre-started spare JVM (plain options) a worker. */
    static Jvm adopt(MapPool pool, MapPool.Flavor flavor, Child spare) {
      Jvm worker = new Jvm(pool, flavor, spare);
      worker.ready = true; // it said so long ago, to the spare pool
      return toldToWork(worker);
    }

    /**
     * Tells the JVM to serve processMap. If it died already (bad JVM options make it exit at once),
     * the worker is returned all the same: its exit reaches the pool once it attaches, and counts
     * as a worker that exited before it was ready, as for a JVM that dies a moment later.
     */
    private static Jvm toldToWork(Jvm worker) {
      try {
        worker.child.sendTask(MapFrames.WORKER_KIND, 0, 0, 0, List.of(), new byte[0]);
      } catch (IOException e) {
        log.debug("the worker JVM {} died before it was told to work", worker.pid(), e);
        worker.child.kill();
      }
      return worker;
    }

    /** Starts listening and sending; after the pool knows the worker. */
    @Override
    void begin() {
      startThread();
      child.attach(this);
    }

    @Override
    void deliver(Object frame) throws IOException {
      frames.clear();
      if (frame instanceof MapFrames.Register r) {
        MapFrames.register(frames, r.run(), r.task());
      } else {
        MapFrames.drop(frames, ((MapFrames.Drop) frame).run());
      }
      child.write(frames.array(), 0, frames.size());
    }

    @Override
    void deliverBatch(MapBatch batch, MapBuffer frame) throws IOException {
      child.write(frame.array(), 0, frame.size());
    }

    @Override
    public void frame(String type, byte[] payload) {
      if (MapFrames.OUTCOME.equals(type)) {
        pool.outcome(this, payload, 0, payload.length);
      } else if (ChildPipe.READY.equals(type)) {
        pool.ready(this);
      }
    }

    @Override
    public void exited(int exitCode) {
      stopThread();
      pool.exited(this, exitCode);
    }

    @Override
    long pid() {
      return child.pid();
    }

    @Override
    void retire() {
      stopThread();
      try {
        child.write(new byte[] {MapFrames.QUIT});
      } catch (IOException e) {
        log.debug("map worker {} is gone before its quit frame", pid(), e);
      }
      child.retire();
    }

    @Override
    boolean awaitExit(long millis) throws InterruptedException {
      return child.waitFor(Math.max(1, millis));
    }

    @Override
    void kill() {
      child.kill();
    }
  }

  /** A thread of this JVM running the worker loop; its items still go through serialization. */
  static final class InThread extends MapWorker {
    private final Set<Long> dropped = ConcurrentHashMap.newKeySet();
    private final MapWorkerLoop loop;

    InThread(MapPool pool, MapPool.Flavor flavor, Supplier<State> newState, int n) {
      super(pool, flavor, "zproc-map-thread-" + n);
      this.ready = true; // nothing to boot
      this.loop =
          new MapWorkerLoop(
              run -> newState.get(),
              MapWorker.class.getClassLoader(),
              null,
              dropped,
              frame ->
                  pool.outcome(
                      this, frame.array(), MapFrames.HEADER, frame.size() - MapFrames.HEADER),
              System::nanoTime);
    }

    @Override
    void send(Object message) {
      if (message instanceof MapFrames.Drop d) {
        dropped.add(d.run()); // takes effect between items, as in a worker JVM
      }
      super.send(message);
    }

    @Override
    void deliver(Object frame) {
      loop.handle(frame);
    }

    @Override
    void deliverBatch(MapBatch batch, MapBuffer frame) {
      MapBuffer.Reader in = new MapBuffer.Reader(frame.array(), 1, frame.size() - 1);
      try {
        long run = in.getLong();
        long id = in.getLong();
        long first = in.getLong();
        int length = in.getInt();
        loop.handle(new MapFrames.Batch(run, id, first, frame.array(), in.pos, length));
      } catch (java.io.EOFException e) {
        throw new IllegalStateException("a batch frame this JVM wrote is short", e);
      }
    }

    @Override
    long pid() {
      return ProcessHandle.current().pid();
    }

    @Override
    void kill() {
      stopThread();
    }
  }
}
