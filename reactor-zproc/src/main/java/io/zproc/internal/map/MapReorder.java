package io.zproc.internal.map;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Puts one call's batch results back in source order: batches come back in any order, results leave
 * by index, each once. It holds only results that arrived before an earlier one; it is not a queue
 * of everything in flight (the read-ahead bound keeps that small). Not thread-safe (the pool's lock
 * guards it).
 */
final class MapReorder {
  private static final Object[] NONE = new Object[0];

  private final Map<Long, Object[]> done = new HashMap<>();
  private Object[] head = NONE;
  private int headPos;
  private long next;
  private long held;

  /**
   * The results of items {@code first ... first + results.length - 1} (fewer than the batch's items
   * if it failed). A batch already put, or one before the next index, is ignored.
   */
  void put(long first, Object[] results) {
    if (first < next || done.containsKey(first)) {
      return;
    }
    done.put(first, results);
    held += results.length;
  }

  /** The next result in order, or null if it has not arrived. */
  @Nullable Object poll() {
    while (headPos >= head.length) {
      Object[] batch = done.remove(next);
      if (batch == null || batch.length == 0) {
        return null;
      }
      head = batch;
      headPos = 0;
    }
    Object value = head[headPos];
    head[headPos++] = null;
    next++;
    held--;
    return value;
  }

  /** The index of the next result to leave (how many have left). */
  long next() {
    return next;
  }

  /** How many results are held, waiting for an earlier one or to be polled. */
  long held() {
    return held;
  }

  /** Drops everything held. */
  void clear() {
    done.clear();
    head = NONE;
    headPos = 0;
    held = 0;
  }
}
