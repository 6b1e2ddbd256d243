package io.zproc.internal.map;

import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import java.io.IOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What the pool does with a batch that comes back without an outcome: its items cannot be
 * serialized (the items before the culprit run, the call fails at it), its remote worker left (run
 * it again first in line, up to {@code maxRedeliveries} times, as for a worker JVM that dies), the
 * server could not take it (fail the call), or it is too big for one remote request (cut it in
 * two). Each takes the pool's lock.
 */
final class MapRequeue {
  private MapRequeue() {}

  /**
   * A batch ended without an outcome.
   *
   * @param lost its worker left, or the connection to the server was lost (it counts against {@code
   *     maxRedeliveries})
   * @param error why the request failed, or null
   */
  static void lost(
      MapPool pool, MapWorker worker, MapBatch batch, boolean lost, @Nullable Throwable error) {
    MapRun<?> run = batch.run;
    synchronized (pool) {
      if (worker.inFlight.remove(batch.id) == null) {
        return;
      }
      run.release(worker);
      if (run.needs(batch)) {
        if (error != null && !isConnectionLoss(error)) {
          run.fail(
              batch.first,
              error instanceof ZProcException
                  ? error
                  : new ZProcException(
                      ErrorCode.INTERNAL,
                      "items "
                          + batch.first
                          + ".."
                          + batch.last()
                          + " of processMap could not be sent to the remote workers: "
                          + error,
                      error));
        } else if (lost) {
          batch.deaths.add(-1);
          if (batch.deaths.size() > run.maxRedeliveries) {
            run.fail(
                batch.first,
                new ZProcException(
                    ErrorCode.PROCESS_FAILED,
                    "items "
                        + batch.first
                        + ".."
                        + batch.last()
                        + " of processMap were on "
                        + batch.deaths.size()
                        + " remote workers that left or lost their connection before they"
                        + " answered: the task may end its JVM (System.exit, OutOfMemoryError), or"
                        + " the connection to the server keeps failing; MapOptions.maxRedeliveries("
                        + run.maxRedeliveries
                        + ") is the limit"));
          } else {
            run.ready.addFirst(batch);
          }
        } else {
          run.ready.addFirst(batch);
        }
      }
      pool.dispatch();
    }
    run.drain();
  }

  /** A batch too big for one request: cut in two, or the call fails if it is one item. */
  static void split(MapPool pool, MapWorker worker, MapBatch batch, int bytes) {
    MapRun<?> run = batch.run;
    synchronized (pool) {
      if (worker.inFlight.remove(batch.id) == null) {
        return;
      }
      run.release(worker);
      int n = batch.items.length;
      if (n == 1) {
        run.fail(
            batch.first,
            new IllegalArgumentException(
                "item "
                    + batch.first
                    + " of processMap encodes to "
                    + bytes
                    + " bytes, more than the "
                    + RemoteMapWorker.MAX_ITEMS_BYTES
                    + " a batch for remote workers may carry; send a smaller item (a key or a"
                    + " file name, with the data in shared storage)"));
      } else {
        int half = n / 2;
        run.ready.addFirst(
            new MapBatch(
                pool.nextId(), run, batch.first + half, Arrays.copyOfRange(batch.items, half, n)));
        run.ready.addFirst(
            new MapBatch(pool.nextId(), run, batch.first, Arrays.copyOf(batch.items, half)));
      }
      pool.dispatch();
    }
    run.drain();
  }

  /** A batch's items could not be serialized (on the worker's sender thread). */
  static void unserializable(
      MapPool pool, MapWorker worker, MapBatch batch, int offset, IOException e) {
    MapRun<?> run = batch.run;
    synchronized (pool) {
      if (worker.inFlight.remove(batch.id) == null) {
        return;
      }
      run.release(worker);
      int bad = Math.min(offset, batch.items.length - 1);
      long index = batch.first + bad;
      if (bad > 0) {
        run.ready.addFirst(
            new MapBatch(pool.nextId(), run, batch.first, Arrays.copyOf(batch.items, bad)));
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
      pool.dispatch();
    }
    run.drain();
  }

  private static boolean isConnectionLoss(Throwable error) {
    return error instanceof ZProcException
        && ((ZProcException) error).code() == ErrorCode.CONNECTION_CLOSED;
  }
}
