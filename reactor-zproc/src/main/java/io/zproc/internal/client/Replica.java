package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.Snapshot;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Replies.StateReply;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A client-side copy of a namespace kept current by applying change events in version order:
 * forward application reproduces the server's insertion order exactly. Not thread-safe: one
 * watcher's sequential signals use it.
 */
final class Replica {
  private final LinkedHashMap<String, JsonNode> data = new LinkedHashMap<>();
  private long version;

  /** From a snapshot reply. */
  Replica(JsonNode snapshot) {
    StateReply state = StateReply.decode(snapshot);
    Iterator<Map.Entry<String, JsonNode>> fields = state.entries().fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      data.put(e.getKey(), e.getValue());
    }
    version = state.version();
  }

  long version() {
    return version;
  }

  /** Applies one event; events at or below the current version are ignored. */
  void apply(JsonNode event) {
    long v = event.get(Fields.VERSION).longValue();
    if (v <= version) {
      return;
    }
    JsonNode after = event.get(Fields.AFTER_VALUES);
    for (JsonNode key : event.get(Fields.KEYS)) {
      String k = key.textValue();
      JsonNode value = after.get(k);
      if (value == null) {
        data.remove(k);
      } else {
        data.put(k, value);
      }
    }
    version = v;
  }

  /** The raw value of a key, or null if absent. */
  @Nullable JsonNode raw(String key) {
    return data.get(key);
  }

  boolean contains(String key) {
    return data.containsKey(key);
  }

  /** A snapshot (plain Java copies) of the current state. */
  Snapshot snapshot() {
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    data.forEach((k, v) -> values.put(k, Json.toJava(v)));
    return new SnapshotImpl(values, version);
  }
}
