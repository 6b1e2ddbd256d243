package io.zproc.internal.map;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Decides which batch goes to which worker: the calls in turn (round robin, one batch per call per
 * turn, so a small call is not starved by a big one), each to the least busy worker of its kind
 * that has room (at most {@link MapPool#CAPACITY} batches in flight: one running, one queued),
 * preferring a worker that is ready, and never more than the call's {@code count} workers at once.
 * It only chooses; the pool records and sends. Not thread-safe (the pool's lock guards it).
 */
final class MapDispatch {
  /** Takes a batch the dispatcher chose for a worker. */
  interface Assign {
    void assign(MapRun<?> run, MapWorker worker, MapBatch batch);
  }

  private int turn;

  /**
   * Hands out batches until no call has one for a worker with room.
   *
   * @param runs the active calls
   * @param groups the workers of a kind
   * @param assign records and sends each choice (it must count the batch in the worker's and the
   *     call's in-flight batches before the next choice)
   * @return how many batches were handed out
   */
  int dispatch(
      List<MapRun<?>> runs, Function<MapPool.Flavor, List<MapWorker>> groups, Assign assign) {
    int n = runs.size();
    int handed = 0;
    boolean progress = n > 0;
    while (progress) {
      progress = false;
      for (int k = 0; k < n; k++) {
        MapRun<?> run = runs.get(Math.floorMod(turn + k, n));
        if (!run.hasWork()) {
          continue;
        }
        MapWorker worker = pick(run, groups.apply(run.flavor));
        if (worker == null) {
          continue;
        }
        MapBatch batch = run.nextBatch();
        if (batch == null) {
          continue;
        }
        assign.assign(run, worker, batch);
        handed++;
        progress = true;
      }
      turn++;
    }
    return handed;
  }

  /** The least busy worker the call may use, or null. */
  static @Nullable MapWorker pick(MapRun<?> run, List<MapWorker> group) {
    MapWorker best = null;
    for (MapWorker w : group) {
      if (w.dead || w.inFlight.size() >= MapPool.CAPACITY) {
        continue;
      }
      if (!run.load.containsKey(w) && run.load.size() >= run.count) {
        continue;
      }
      if (best == null
          || w.inFlight.size() < best.inFlight.size()
          || (w.inFlight.size() == best.inFlight.size() && w.ready && !best.ready)) {
        best = w;
      }
    }
    return best;
  }
}
