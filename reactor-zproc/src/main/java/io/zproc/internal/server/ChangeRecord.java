package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.internal.Json;
import org.jspecify.annotations.Nullable;

/**
 * One mutation of a namespace, as kept in its journal. Arrays are parallel: {@code before[i]} and
 * {@code after[i]} are the values of {@code keys[i]}, null where the key was absent. Immutable by
 * convention: nobody writes to the arrays after construction.
 */
final class ChangeRecord {
  final String namespace;
  final long version;
  final long timestampMillis;
  final String origin;
  final String[] keys;
  final @Nullable JsonNode[] before;
  final @Nullable JsonNode[] after;
  final boolean identical;
  final long bytes;

  ChangeRecord(
      String namespace,
      long version,
      long timestampMillis,
      String origin,
      String[] keys,
      @Nullable JsonNode[] before,
      @Nullable JsonNode[] after) {
    this.namespace = namespace;
    this.version = version;
    this.timestampMillis = timestampMillis;
    this.origin = origin;
    this.keys = keys;
    this.before = before;
    this.after = after;
    boolean same = true;
    long size = 64 + origin.length();
    for (int i = 0; i < keys.length; i++) {
      if (same && !Json.equal(before[i], after[i])) {
        same = false;
      }
      size += 32 + keys[i].length() + Json.estimateSize(before[i]) + Json.estimateSize(after[i]);
    }
    this.identical = same;
    this.bytes = size;
  }
}
