package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
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
  private final long epoch;
  private volatile @Nullable ObjectNode event;

  ChangeRecord(
      String namespace,
      long version,
      long timestampMillis,
      String origin,
      String[] keys,
      @Nullable JsonNode[] before,
      @Nullable JsonNode[] after,
      long epoch) {
    this.epoch = epoch;
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

  /** Whether this change touched any of the keys. */
  boolean touchesAny(String[] wanted) {
    for (String k : keys) {
      for (String w : wanted) {
        if (k.equals(w)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * This change as a wire event, built once and shared by every watcher (never mutated after):
   * {@code {"ns", "ver", "t", "o", "keys": [...], "b": {...}, "a": {...}, "same": bool}}; keys
   * absent before (after) are missing from {@code b} ({@code a}).
   */
  ObjectNode event() {
    ObjectNode e = event;
    if (e == null) {
      JsonNodeFactory f = JsonNodeFactory.instance;
      e = f.objectNode();
      e.put(Fields.NS, namespace);
      e.put(Fields.VERSION, version);
      e.put(Fields.TIMESTAMP, timestampMillis);
      e.put(Fields.ORIGIN, origin);
      ArrayNode k = e.putArray(Fields.KEYS);
      ObjectNode b = e.putObject(Fields.BEFORE);
      ObjectNode a = e.putObject(Fields.AFTER_VALUES);
      for (int i = 0; i < keys.length; i++) {
        k.add(keys[i]);
        if (before[i] != null) {
          b.set(keys[i], before[i]);
        }
        if (after[i] != null) {
          a.set(keys[i], after[i]);
        }
      }
      e.put(Fields.IDENTICAL, identical);
      if (epoch != 0) {
        e.put(Fields.EPOCH, epoch);
      }
      event = e;
    }
    return e;
  }
}
