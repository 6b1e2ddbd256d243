package io.zproc.examples.webflux;

import io.zproc.Snapshot;
import java.util.Map;

/**
 * The JSON form of a {@link Snapshot}: {@code {"namespace": "default", "version": 7, "values":
 * {...}}}.
 *
 * @param namespace the namespace the snapshot is of
 * @param version the namespace's version at the snapshot: the {@code id} of the last change event
 *     it includes
 * @param values the namespace's keys and values, in insertion order
 */
public record StateView(String namespace, long version, Map<String, Object> values) {

  /**
   * The view of a snapshot.
   *
   * @param namespace the namespace the snapshot is of
   * @param snapshot the snapshot (kept, not copied: snapshots are unmodifiable)
   * @return the view
   */
  public static StateView of(String namespace, Snapshot snapshot) {
    return new StateView(namespace, snapshot.version(), snapshot);
  }
}
