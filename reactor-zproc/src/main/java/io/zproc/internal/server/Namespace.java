package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.rsocket.WireException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One namespace: an insertion-ordered map of trees, its version and its journal. Every method is
 * atomic (it holds the namespace's monitor for a few microseconds, never across I/O); every
 * mutation that touches a key takes the next version and appends one {@link ChangeRecord}.
 *
 * <p>Stored trees are never mutated: a write replaces the whole value.
 */
final class Namespace {
  final String name;
  private final LinkedHashMap<String, JsonNode> data = new LinkedHashMap<>();
  private final Journal journal;
  private final Clock clock;
  private long version;

  Namespace(String name, int journalSize, long journalBytes, Clock clock) {
    this.name = name;
    this.journal = new Journal(journalSize, journalBytes);
    this.clock = clock;
  }

  synchronized long version() {
    return version;
  }

  synchronized @Nullable JsonNode get(String key) {
    return data.get(key);
  }

  synchronized boolean containsKey(String key) {
    return data.containsKey(key);
  }

  synchronized boolean containsValue(JsonNode value) {
    for (JsonNode v : data.values()) {
      if (Json.equal(v, value)) {
        return true;
      }
    }
    return false;
  }

  synchronized int size() {
    return data.size();
  }

  /** Stores a value; returns the previous one (null if absent). */
  synchronized @Nullable JsonNode put(String key, JsonNode value, String origin) {
    JsonNode previous = data.put(key, value);
    record(origin, key, previous, value);
    return previous;
  }

  synchronized @Nullable JsonNode remove(String key, String origin) {
    if (!data.containsKey(key)) {
      return null;
    }
    JsonNode previous = data.remove(key);
    record(origin, key, previous, null);
    return previous;
  }

  synchronized boolean removeIf(String key, JsonNode expected, String origin) {
    JsonNode current = data.get(key);
    if (current == null || !Json.equal(current, expected)) {
      return false;
    }
    data.remove(key);
    record(origin, key, current, null);
    return true;
  }

  /** Replaces a present key's value; returns the previous value, or null if absent. */
  synchronized @Nullable JsonNode replace(String key, JsonNode value, String origin) {
    if (!data.containsKey(key)) {
      return null;
    }
    JsonNode previous = data.put(key, value);
    record(origin, key, previous, value);
    return previous;
  }

  synchronized boolean replaceIf(String key, JsonNode expected, JsonNode value, String origin) {
    JsonNode current = data.get(key);
    if (current == null || !Json.equal(current, expected)) {
      return false;
    }
    data.put(key, value);
    record(origin, key, current, value);
    return true;
  }

  /**
   * Stores unless present; returns the existing value, or null after storing.
   *
   * @param nullIsAbsent whether a present null counts as absent (Map semantics)
   */
  synchronized @Nullable JsonNode putIfAbsent(
      String key, JsonNode value, boolean nullIsAbsent, String origin) {
    JsonNode current = data.get(key);
    if (current != null && !(nullIsAbsent && current.isNull())) {
      return current;
    }
    data.put(key, value);
    record(origin, key, current, value);
    return null;
  }

  synchronized void putAll(ObjectNode values, String origin) {
    if (values.isEmpty()) {
      return;
    }
    int n = values.size();
    String[] keys = new String[n];
    JsonNode[] before = new JsonNode[n];
    JsonNode[] after = new JsonNode[n];
    int i = 0;
    Iterator<Map.Entry<String, JsonNode>> fields = values.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      keys[i] = e.getKey();
      after[i] = e.getValue();
      before[i] = data.put(e.getKey(), e.getValue());
      i++;
    }
    append(origin, keys, before, after);
  }

  /** Removes the most recently inserted entry; null if empty. */
  synchronized Map.@Nullable Entry<String, JsonNode> popItem(String origin) {
    if (data.isEmpty()) {
      return null;
    }
    Map.Entry<String, JsonNode> last = null;
    for (Map.Entry<String, JsonNode> e : data.entrySet()) {
      last = e;
    }
    String key = last.getKey();
    JsonNode value = last.getValue();
    data.remove(key);
    record(origin, key, value, null);
    return Map.entry(key, value);
  }

  synchronized void clear(String origin) {
    if (data.isEmpty()) {
      return;
    }
    int n = data.size();
    String[] keys = new String[n];
    JsonNode[] before = new JsonNode[n];
    int i = 0;
    for (Map.Entry<String, JsonNode> e : data.entrySet()) {
      keys[i] = e.getKey();
      before[i] = e.getValue();
      i++;
    }
    data.clear();
    append(origin, keys, before, new JsonNode[n]);
  }

  /** Replaces the whole namespace. */
  synchronized void set(ObjectNode values, String origin) {
    Set<String> touched = new LinkedHashSet<>(data.keySet());
    values.fieldNames().forEachRemaining(touched::add);
    if (touched.isEmpty()) {
      return;
    }
    int n = touched.size();
    String[] keys = touched.toArray(new String[0]);
    JsonNode[] before = new JsonNode[n];
    JsonNode[] after = new JsonNode[n];
    for (int i = 0; i < n; i++) {
      before[i] = data.get(keys[i]);
      after[i] = values.get(keys[i]);
    }
    data.clear();
    values.fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue()));
    append(origin, keys, before, after);
  }

  /** Adds to an integer; absent or null counts as 0. */
  synchronized long increment(String key, long delta, String origin) {
    JsonNode current = data.get(key);
    long base;
    if (current == null || current.isNull()) {
      base = 0;
    } else if (current.isIntegralNumber() && current.canConvertToLong()) {
      base = current.longValue();
    } else {
      throw new WireException(
          WireException.INVALID_ARGUMENT,
          "cannot increment key '"
              + key
              + "' in namespace '"
              + name
              + "': its value is a "
              + current.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + ", not an integer");
    }
    long result;
    try {
      result = Math.addExact(base, delta);
    } catch (ArithmeticException e) {
      throw new WireException(
          WireException.INVALID_ARGUMENT,
          "incrementing key '" + key + "' by " + delta + " overflows a long (it is " + base + ")");
    }
    JsonNode value =
        result == (int) result
            ? JsonNodeFactory.instance.numberNode((int) result)
            : JsonNodeFactory.instance.numberNode(result);
    data.put(key, value);
    record(origin, key, current, value);
    return result;
  }

  /** A copy: {"ver": version, "m": {entries}}. */
  synchronized ObjectNode snapshot() {
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : data.entrySet()) {
      map.set(e.getKey(), e.getValue());
    }
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put("ver", version);
    reply.set("m", map);
    return reply;
  }

  synchronized int journalSize() {
    return journal.size();
  }

  synchronized long oldestJournalVersion() {
    return journal.oldestVersion();
  }

  /** The journal's records after a version, oldest first (a copy). */
  synchronized List<ChangeRecord> changesAfter(long afterVersion) {
    List<ChangeRecord> out = new ArrayList<>();
    for (ChangeRecord r : journal.records()) {
      if (r.version > afterVersion) {
        out.add(r);
      }
    }
    return out;
  }

  private void record(
      String origin, String key, @Nullable JsonNode before, @Nullable JsonNode after) {
    append(origin, new String[] {key}, new JsonNode[] {before}, new JsonNode[] {after});
  }

  private void append(
      String origin, String[] keys, @Nullable JsonNode[] before, @Nullable JsonNode[] after) {
    version++;
    journal.add(new ChangeRecord(name, version, clock.millis(), origin, keys, before, after));
  }

  static JsonNode orNull(@Nullable JsonNode node) {
    return node == null ? NullNode.getInstance() : node;
  }
}
