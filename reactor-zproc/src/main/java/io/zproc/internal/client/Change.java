package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.StateChange;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A {@link StateChange} decoded from a watch event. Immutable. */
final class Change implements StateChange {
  private final String namespace;
  private final long version;
  private final Instant timestamp;
  private final String origin;
  private final Set<String> keys;
  private final Map<String, Object> before;
  private final Map<String, Object> after;
  private final boolean identical;

  Change(JsonNode event) {
    this.namespace = event.get(Fields.NS).textValue();
    this.version = event.get(Fields.VERSION).longValue();
    this.timestamp = Instant.ofEpochMilli(event.get(Fields.TIMESTAMP).longValue());
    this.origin = event.get(Fields.ORIGIN).textValue();
    Set<String> k = new LinkedHashSet<>();
    for (JsonNode key : event.get(Fields.KEYS)) {
      k.add(key.textValue());
    }
    this.keys = Collections.unmodifiableSet(k);
    this.before = values(event.get(Fields.BEFORE));
    this.after = values(event.get(Fields.AFTER_VALUES));
    this.identical = event.get(Fields.IDENTICAL).booleanValue();
  }

  private static Map<String, Object> values(JsonNode map) {
    Map<String, Object> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = map.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      out.put(e.getKey(), Json.toJava(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The version of a raw event, without decoding it. */
  static long versionOf(JsonNode event) {
    return event.get(Fields.VERSION).longValue();
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Instant timestamp() {
    return timestamp;
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public Set<String> keys() {
    return keys;
  }

  @Override
  public Map<String, Object> before() {
    return before;
  }

  @Override
  public Map<String, Object> after() {
    return after;
  }

  @Override
  public boolean identical() {
    return identical;
  }

  @Override
  public String toString() {
    return "StateChange["
        + namespace
        + "@"
        + version
        + " by "
        + origin
        + ": "
        + before
        + " -> "
        + after
        + "]";
  }
}
