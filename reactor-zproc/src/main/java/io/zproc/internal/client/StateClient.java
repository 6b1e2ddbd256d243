package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.internal.Json;
import io.zproc.internal.Ops;
import io.zproc.rsocket.WireRequest;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** A {@link State}: builds requests for one namespace and turns replies into Java values. */
final class StateClient implements State {
  private final Context context;
  private final String namespace;
  private final String id;

  StateClient(Context context, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    this.context = context;
    this.namespace = namespace;
    this.id = context.newStateId();
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public State namespace(String other) {
    return new StateClient(context, other);
  }

  @Override
  public Mono<Object> get(String key) {
    ObjectNode args = keyArgs(key);
    return call(Ops.GET, args).mapNotNull(Json::toJava);
  }

  @Override
  public <T> Mono<T> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    ObjectNode args = keyArgs(key);
    return call(Ops.GET, args).mapNotNull(node -> Json.toType(key, node, type));
  }

  @Override
  public Mono<Void> put(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.PUT, args).then();
  }

  /** Stores a value and emits the previous one (for the Map view). */
  Mono<Object> putAndGet(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    args.put(Ops.RETURN_PREVIOUS, true);
    return call(Ops.PUT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Object> remove(String key) {
    return call(Ops.REMOVE, mutation(key)).mapNotNull(Json::toJava);
  }

  Mono<Boolean> removeIf(String key, @Nullable Object expected) {
    ObjectNode args = mutation(key);
    args.set(Ops.EXPECTED, Json.toTree(key, expected));
    return call(Ops.REMOVE_IF, args).map(JsonNode::booleanValue);
  }

  Mono<Object> replace(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.REPLACE, args).mapNotNull(Json::toJava);
  }

  Mono<Boolean> replaceIf(String key, @Nullable Object expected, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.EXPECTED, Json.toTree(key, expected));
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.REPLACE_IF, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Void> putAll(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Ops.MAP, Json.toTree(values));
    return call(Ops.PUT_ALL, args).then();
  }

  @Override
  public Mono<Object> putIfAbsent(String key, @Nullable Object value) {
    return putIfAbsent(key, value, false);
  }

  Mono<Object> putIfAbsent(String key, @Nullable Object value, boolean nullIsAbsent) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    if (nullIsAbsent) {
      args.put(Ops.NULL_IS_ABSENT, true);
    }
    return call(Ops.PUT_IF_ABSENT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Map.Entry<String, Object>> popItem() {
    return call(Ops.POP_ITEM, mutation())
        .map(
            node ->
                new AbstractMap.SimpleImmutableEntry<>(
                    node.get(Ops.KEY).textValue(), Json.toJava(node.get(Ops.VALUE))));
  }

  @Override
  public Mono<Boolean> containsKey(String key) {
    return call(Ops.CONTAINS_KEY, keyArgs(key)).map(JsonNode::booleanValue);
  }

  Mono<Boolean> containsValue(@Nullable Object value) {
    ObjectNode args = args();
    args.set(Ops.VALUE, Json.toTree("(value)", value));
    return call(Ops.CONTAINS_VALUE, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Integer> size() {
    return call(Ops.SIZE, args()).map(JsonNode::intValue);
  }

  @Override
  public Mono<Void> clear() {
    return call(Ops.CLEAR, mutation()).then();
  }

  @Override
  public Mono<Void> set(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Ops.MAP, Json.toTree(values));
    return call(Ops.SET, args).then();
  }

  @Override
  public Mono<Snapshot> snapshot() {
    return call(Ops.SNAPSHOT, args()).map(StateClient::toSnapshot);
  }

  static Snapshot toSnapshot(JsonNode reply) {
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = reply.get(Ops.MAP).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      values.put(e.getKey(), Json.toJava(e.getValue()));
    }
    return new SnapshotImpl(values, reply.get(Ops.VERSION).longValue());
  }

  @Override
  public Mono<Long> increment(String key, long delta) {
    ObjectNode args = mutation(key);
    args.put(Ops.DELTA, delta);
    return call(Ops.INCREMENT, args).map(JsonNode::longValue);
  }

  @Override
  public ConcurrentMap<String, Object> asMap() {
    return new MapView(this);
  }

  private Mono<JsonNode> call(String op, ObjectNode args) {
    return context.call(new WireRequest(op, args));
  }

  private ObjectNode args() {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.put(Ops.NS, namespace);
    return args;
  }

  private ObjectNode keyArgs(String key) {
    Objects.requireNonNull(key, "key");
    ObjectNode args = args();
    args.put(Ops.KEY, key);
    return args;
  }

  private ObjectNode mutation() {
    ObjectNode args = args();
    args.put(Ops.ORIGIN, id);
    return args;
  }

  private ObjectNode mutation(String key) {
    ObjectNode args = keyArgs(key);
    args.put(Ops.ORIGIN, id);
    return args;
  }

  @Override
  public String toString() {
    return "State[" + namespace + ", id=" + id + "]";
  }
}
