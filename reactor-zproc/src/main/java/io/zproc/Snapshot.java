package io.zproc;

import java.util.Map;

/**
 * A copy of one namespace at one version: an unmodifiable, insertion-ordered map (like a Python 3.7
 * dict). Values are plain Java copies ({@code Map}, {@code List}, {@code String}, {@code
 * Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, or {@code null});
 * nothing in it changes when the state changes.
 *
 * <p><b>Threading:</b> immutable, safe to share.
 */
public interface Snapshot extends Map<String, Object> {

  /**
   * The namespace's version when this copy was taken: the number of mutations it had seen (0 for a
   * namespace never written).
   */
  long version();
}
