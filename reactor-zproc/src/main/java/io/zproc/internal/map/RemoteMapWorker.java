package io.zproc.internal.map;

import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

/**
 * One lane of a context's pool to the remote workers of its server: to the pool it is a worker like
 * the others (at most {@link MapPool#CAPACITY} batches in flight), but each batch it is given
 * becomes a {@code mapBatch} request, which the server hands to whichever joined worker has a free
 * slot. The task goes with a call's batches until the server has it ({@link Tasks}, shared by the
 * pool's lanes). A batch whose encoded items pass {@link #MAX_ITEMS_BYTES} goes back to the pool
 * cut in two. Replies arrive on transport threads.
 */
final class RemoteMapWorker extends MapWorker {
  /** The most bytes of encoded items one remote batch carries (the frame limit is 16 MiB). */
  static final int MAX_ITEMS_BYTES = 8 << 20;

  private final RemoteBatches remote;
  private final Tasks tasks;
  private final Set<Disposable> pending = ConcurrentHashMap.newKeySet();

  RemoteMapWorker(MapPool pool, MapPool.Flavor flavor, RemoteBatches remote, Tasks tasks, int n) {
    super(pool, flavor, "zproc-map-remote-" + n);
    this.remote = remote;
    this.tasks = tasks;
    this.ready = true; // nothing to boot
  }

  /** The tasks of a pool's calls with remote workers, and whether the server has them. */
  static final class Tasks {
    private final Map<Long, byte[]> codes = new ConcurrentHashMap<>();
    private final Set<Long> sent = ConcurrentHashMap.newKeySet();

    void register(long run, byte[] code) {
      codes.putIfAbsent(run, code);
    }

    /** The task to send with a batch of the call: null once the server has it. */
    byte @Nullable [] toSend(long run, boolean again) {
      if (again) {
        sent.remove(run);
      }
      return sent.contains(run) ? null : codes.get(run);
    }

    void arrived(long run) {
      if (codes.containsKey(run)) {
        sent.add(run);
      }
    }

    /** Forgets a call's task; true the first time. */
    boolean drop(long run) {
      sent.remove(run);
      return codes.remove(run) != null;
    }
  }

  @Override
  void deliver(Object frame) {
    if (frame instanceof MapFrames.Register r) {
      tasks.register(r.run(), r.task());
    } else if (tasks.drop(((MapFrames.Drop) frame).run())) {
      remote.drop(((MapFrames.Drop) frame).run());
    }
  }

  @Override
  void deliverBatch(MapBatch batch, MapBuffer frame) {
    int len = frame.size() - MapFrames.BATCH_HEADER;
    if (len > MAX_ITEMS_BYTES) {
      MapRequeue.split(pool, this, batch, len);
      return;
    }
    submit(batch, Arrays.copyOfRange(frame.array(), MapFrames.BATCH_HEADER, frame.size()), false);
  }

  private void submit(MapBatch batch, byte[] items, boolean again) {
    long run = batch.run.id;
    byte[] code = tasks.toSend(run, again);
    BaseSubscriber<RemoteBatches.Reply> reply =
        new BaseSubscriber<>() {
          private boolean answered;

          @Override
          protected void hookOnNext(RemoteBatches.Reply r) {
            answered = true;
            if (r.unknownTask()) {
              submit(batch, items, true);
              return;
            }
            tasks.arrived(run);
            byte[] outcome = r.outcome();
            if (outcome != null && answers(outcome, batch)) {
              pool.outcome(RemoteMapWorker.this, outcome, 0, outcome.length);
            } else {
              MapRequeue.lost(pool, RemoteMapWorker.this, batch, r.lost(), null);
            }
          }

          @Override
          protected void hookOnComplete() {
            if (!answered) {
              MapRequeue.lost(pool, RemoteMapWorker.this, batch, false, null);
            }
          }

          @Override
          protected void hookOnError(Throwable error) {
            if (error instanceof ZProcException
                && ((ZProcException) error).code() == ErrorCode.LIMIT_EXCEEDED
                && batch.items.length > 1) {
              // a server with a frame limit below this batch: smaller ones may pass
              MapRequeue.split(pool, RemoteMapWorker.this, batch, items.length);
            } else {
              MapRequeue.lost(pool, RemoteMapWorker.this, batch, true, error);
            }
          }

          @Override
          protected void hookFinally(reactor.core.publisher.SignalType type) {
            pending.remove(this);
          }
        };
    pending.add(reply);
    remote.batch(run, code, batch.id, batch.first, items).subscribe(reply);
  }

  /** Whether an outcome is the batch's (a worker's stale answer to another job is not). */
  private static boolean answers(byte[] outcome, MapBatch batch) {
    try {
      return MapFrames.readOutcome(outcome, 0, outcome.length).batch() == batch.id;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  long pid() {
    return -1;
  }

  @Override
  void kill() {
    stopThread();
    for (Disposable d : pending) {
      d.dispose();
    }
  }
}
