package io.zproc;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One mutation of a namespace: a delta, never a whole state.
 *
 * <p><b>Threading:</b> immutable, safe to share.
 */
public interface StateChange {

  /** The namespace that changed. */
  String namespace();

  /** The version this mutation produced: the previous version plus one. */
  long version();

  /** When the server applied it. */
  Instant timestamp();

  /** The {@link State#id() id} of the client that made it. */
  String origin();

  /** The keys it touched, in the order it touched them. */
  Set<String> keys();

  /** The touched keys' values before; a key absent before is not in this map. */
  Map<String, Object> before();

  /** The touched keys' values after; a key removed is not in this map. */
  Map<String, Object> after();

  /** Whether every touched key has the same presence and value after as before. */
  boolean identical();
}
