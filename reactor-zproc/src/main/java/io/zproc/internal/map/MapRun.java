package io.zproc.internal.map;

import io.zproc.MapTaskException;
import io.zproc.RemoteException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * One subscription to a {@code processMap} Flux: subscribes to the source, holds its items until a
 * worker has room, then cuts a batch at the size its {@link BatchSizer} says now ({@link
 * #nextBatch}), and emits the results in source order ({@link MapReorder}). Its state is guarded by
 * the pool's lock; emission to the subscriber is serialized by a work-in-progress counter, outside
 * the lock.
 *
 * <p>Demand: the source is asked for at most what the subscriber asked for, and at most {@code
 * prefetch} items past the last one emitted. A failure (the task threw on item i, item i could not
 * be serialized, the source failed after item i-1) is positional: items before i are emitted, then
 * the error.
 */
final class MapRun<R> implements Subscription, CoreSubscriber<Object> {
  final MapPool pool;
  final long id;
  final MapPool.Flavor flavor;
  final byte[] task;
  final @Nullable ClassLoader loader;

  /** What results may be deserialized as (remote workers only; set before the run starts). */
  @Nullable AllowList allow;

  final int count;
  final int maxRedeliveries;
  private final CoreSubscriber<? super R> actual;
  final BatchSizer sizer;
  private final int prefetch;

  // guarded by pool
  private @Nullable Subscription upstream;
  private long requested;
  private long pulled;
  private long received;
  private long sealed;
  private long emitted;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  final ArrayDeque<MapBatch> ready = new ArrayDeque<>();
  int inFlight;
  final Map<MapWorker, Integer> load = new HashMap<>();
  private final MapReorder reorder = new MapReorder();
  private long failIndex = Long.MAX_VALUE;
  private @Nullable Throwable failure;
  private boolean sourceDone;
  boolean terminated;

  private volatile boolean cancelled;
  private volatile @Nullable Thread requesting;
  private final AtomicInteger wip = new AtomicInteger();

  MapRun(
      MapPool pool,
      long id,
      CoreSubscriber<? super R> actual,
      byte[] task,
      @Nullable ClassLoader loader,
      MapPool.Flavor flavor,
      int count,
      BatchSizer sizer,
      int prefetch,
      int maxRedeliveries) {
    this.pool = pool;
    this.id = id;
    this.actual = actual;
    this.task = task;
    this.loader = loader;
    this.flavor = flavor;
    this.count = count;
    this.sizer = sizer;
    this.prefetch = prefetch;
    this.maxRedeliveries = maxRedeliveries;
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }

  // ---- the source's signals

  @Override
  public void onSubscribe(Subscription s) {
    boolean cancel;
    synchronized (pool) {
      cancel = terminated || upstream != null;
      if (!cancel) {
        upstream = s;
      }
    }
    if (cancel) {
      s.cancel();
      return;
    }
    drain();
  }

  @Override
  public void onNext(Object item) {
    synchronized (pool) {
      if (terminated || failIndex != Long.MAX_VALUE || sourceDone) {
        return; // after a failure: the source is being cancelled
      }
      pending.add(item);
      received++;
      if (pending.size() >= sizer.size()
          || received == pulled
          || (requesting == null && inFlight < count)) {
        pool.dispatch();
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    synchronized (pool) {
      if (terminated || sourceDone) {
        return;
      }
      sourceDone = true;
      fail(received, t);
      pool.dispatch();
    }
    drain();
  }

  @Override
  public void onComplete() {
    synchronized (pool) {
      if (terminated || sourceDone) {
        return;
      }
      sourceDone = true;
      pool.dispatch();
    }
    drain();
  }

  // ---- the subscriber's signals

  @Override
  public void request(long n) {
    synchronized (pool) {
      if (terminated) {
        return;
      }
      if (n <= 0) {
        fail(
            emitted,
            new IllegalArgumentException(
                "§3.9 violated: request(" + n + ") on processMap; request a positive amount"));
      } else {
        long sum = requested + n;
        requested = sum < 0 ? Long.MAX_VALUE : sum;
      }
    }
    drain();
  }

  @Override
  public void cancel() {
    cancelled = true;
    Subscription up;
    synchronized (pool) {
      if (!terminated) {
        terminate();
      }
      up = upstream;
    }
    if (up != null) {
      up.cancel();
    }
  }

  // ---- called by the pool, under its lock

  /** A batch came back: its results (fewer than its items if it failed), and the error if any. */
  void completed(MapBatch batch, Object[] results, @Nullable RemoteException error, long nanos) {
    if (terminated) {
      return;
    }
    reorder.put(batch.first, results);
    pool.stats.batchDone(results.length);
    if (error != null) {
      long index = batch.first + results.length;
      fail(index, new MapTaskException(index, error));
    } else {
      sizer.measured(batch.items.length, nanos);
    }
  }

  /** A worker no longer runs one of this call's batches. */
  void release(MapWorker worker) {
    inFlight--;
    load.computeIfPresent(worker, (w, n) -> n > 1 ? n - 1 : null);
  }

  /** Ends the map at an item: items before it are still emitted, then the error. */
  void fail(long index, Throwable error) {
    if (index >= failIndex) {
      return;
    }
    failIndex = index;
    failure = error;
    ready.removeIf(b -> b.first >= index);
    if (sealed >= index) {
      pending.clear();
    }
  }

  long emitted() {
    return emitted;
  }

  /** Whether the batch's results may still be emitted. */
  boolean needs(MapBatch batch) {
    return !terminated && batch.first < failIndex;
  }

  /** Whether {@link #nextBatch} may have a batch now (cheap; under the pool's lock). */
  boolean hasWork() {
    return !ready.isEmpty() || !pending.isEmpty();
  }

  /**
   * The next batch for a worker with room, cut now at the current size: a batch to re-run first,
   * then a full one; a partial one when no more items are coming soon (the source delivered all it
   * was asked for, or completed) or, outside a synchronous burst of the source, when a worker of
   * this call would otherwise be idle. The rest of the items are then split across the idle workers
   * (so 10 slow items on 4 workers run 3, 3, 2, 2). Null if there is none yet. Under the pool's
   * lock.
   */
  @Nullable MapBatch nextBatch() {
    MapBatch again = ready.poll();
    if (again != null) {
      return again;
    }
    int n = pending.size();
    if (n == 0) {
      return null;
    }
    int size = sizer.size();
    if (n >= size) {
      return cut(size);
    }
    boolean idle = inFlight < count && requesting == null;
    if (sourceDone || received == pulled || idle) {
      int parts = Math.max(1, Math.min(n, count - inFlight));
      return cut((n + parts - 1) / parts);
    }
    return null;
  }

  private MapBatch cut(int n) {
    Object[] items = new Object[n];
    for (int i = 0; i < n; i++) {
      items[i] = pending.poll();
    }
    MapBatch batch = new MapBatch(pool.nextId(), this, sealed, items);
    sealed += n;
    return batch;
  }

  private void terminate() {
    terminated = true;
    ready.clear();
    pending.clear();
    reorder.clear();
    pool.ended(this);
  }

  // ---- emission

  @SuppressWarnings("unchecked")
  void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    for (; ; ) {
      List<Object> out = null;
      Throwable error = null;
      boolean complete = false;
      boolean cancelUpstream = false;
      long toRequest = 0;
      Subscription up;
      synchronized (pool) {
        up = upstream;
        if (!terminated) {
          while (emitted < requested && emitted < failIndex) {
            Object value = reorder.poll();
            if (value == null) {
              break;
            }
            if (out == null) {
              out = new ArrayList<>();
            }
            out.add(value);
            emitted++;
          }
          if (emitted == failIndex) {
            error = failure;
            cancelUpstream = !sourceDone;
            terminate();
          } else if (sourceDone && emitted == received) {
            complete = true;
            terminate();
          } else if (failIndex == Long.MAX_VALUE && !sourceDone && up != null) {
            long allowance = Math.min(requested, emitted + prefetch);
            long want = allowance - pulled;
            boolean demandBound = requested < emitted + prefetch;
            int replenish = Math.max(1, Math.min(sizer.size(), prefetch / 2));
            if (want > 0 && (want >= replenish || demandBound || pulled == emitted)) {
              toRequest = want;
              pulled += want;
            }
          }
        }
      }
      if (out != null) {
        for (Object value : out) {
          if (cancelled) {
            break;
          }
          actual.onNext((R) value);
        }
      }
      if (cancelUpstream && up != null) {
        up.cancel();
      }
      if (error != null) {
        actual.onError(error);
      } else if (complete) {
        actual.onComplete();
      }
      if (toRequest > 0 && up != null) {
        requesting = Thread.currentThread();
        try {
          up.request(toRequest);
        } finally {
          requesting = null;
        }
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        break;
      }
    }
  }

  @Override
  public String toString() {
    return "processMap#" + id;
  }
}
