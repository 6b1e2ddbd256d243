package io.zproc.internal.map;

import io.zproc.RemoteException;
import io.zproc.internal.process.ChildPipe;
import org.jspecify.annotations.Nullable;

/**
 * A batch's outcome from a worker, decoded: the results of its items and the error that stopped it,
 * if any. An outcome that cannot be read fails the batch with what went wrong.
 *
 * @param values the results, in item order, up to the failed item (none for an abandoned batch)
 * @param error why the batch stopped, or null if all its items ran
 */
record MapResults(Object[] values, @Nullable RemoteException error) {

  /**
   * Decodes an outcome frame's results with the call's class loader.
   *
   * @param end the end of the outcome's payload in {@code payload}
   */
  static MapResults read(MapFrames.Outcome outcome, byte[] payload, int end, MapBatch batch) {
    if (outcome.status() == MapFrames.ABANDONED) {
      return new MapResults(new Object[0], null);
    }
    MapRun<?> run = batch.run;
    try {
      Object[] results =
          MapCodec.decode(
              payload, outcome.resultsAt(), end - outcome.resultsAt(), run.loader, run.allow);
      RemoteException error = null;
      byte[] e = outcome.error();
      if (e != null) {
        AllowList allow = run.allow;
        error =
            (RemoteException)
                (allow == null
                    ? ChildPipe.deserialize(e, run.loader)
                    : allow.deserialize(e, run.loader));
      } else if (outcome.status() == MapFrames.FAILED) {
        error = RemoteException.of(new IllegalStateException("the worker failed on this item"));
      }
      return new MapResults(results, error);
    } catch (Exception | LinkageError e) {
      return new MapResults(
          new Object[0],
          RemoteException.of(
              new IllegalStateException(
                  "cannot read the results of items "
                      + batch.first
                      + ".."
                      + batch.last()
                      + " from the worker: "
                      + e,
                  e)));
    }
  }
}
