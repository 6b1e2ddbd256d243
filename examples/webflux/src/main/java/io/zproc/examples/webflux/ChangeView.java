package io.zproc.examples.webflux;

import io.zproc.StateChange;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The JSON data of one {@code GET /changes} event: one {@link StateChange}. The event's {@code id}
 * is the same {@link #version()}.
 *
 * @param version the namespace's version after the change
 * @param timestamp when the server applied it
 * @param origin the id of the state client that made it
 * @param keys the keys it touched
 * @param before the touched keys' values before (a key that was absent is missing)
 * @param after the touched keys' values after (a key that was removed is missing)
 * @param identical whether every touched key kept its value
 */
public record ChangeView(
    long version,
    Instant timestamp,
    String origin,
    Set<String> keys,
    Map<String, Object> before,
    Map<String, Object> after,
    boolean identical) {

  /**
   * The view of a change.
   *
   * @param change the change
   * @return the view
   */
  public static ChangeView of(StateChange change) {
    return new ChangeView(
        change.version(),
        change.timestamp(),
        change.origin(),
        change.keys(),
        change.before(),
        change.after(),
        change.identical());
  }
}
