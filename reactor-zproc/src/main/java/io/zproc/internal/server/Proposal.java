package io.zproc.internal.server;

import static io.zproc.internal.server.Arguments.field;
import static io.zproc.internal.server.Arguments.flag;
import static io.zproc.internal.server.Arguments.invalid;
import static io.zproc.internal.server.Arguments.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a mutation would do to a namespace as it is, computed without changing it: the reply, and
 * the change (its keys with their values before and after; {@code reset}: the namespace is emptied
 * first). A replicated server commits the change to its store and applies it only once the store
 * took it; the memory store's {@link Namespace} methods do both at once. No keys: no change.
 */
record Proposal(
    @Nullable JsonNode reply,
    String[] keys,
    @Nullable JsonNode[] before,
    @Nullable JsonNode[] after,
    boolean reset) {

  private static final String[] NONE = new String[0];

  static Proposal none(@Nullable JsonNode reply) {
    return new Proposal(reply, NONE, new JsonNode[0], new JsonNode[0], false);
  }

  static Proposal one(
      @Nullable JsonNode reply, String key, @Nullable JsonNode before, @Nullable JsonNode after) {
    return new Proposal(
        reply, new String[] {key}, new JsonNode[] {before}, new JsonNode[] {after}, false);
  }

  boolean changes() {
    return keys.length > 0;
  }

  /**
   * The proposal of a mutation on {@code ns} as it is; the caller holds its monitor.
   *
   * @throws io.zproc.rsocket.WireException as the memory store's operation would
   */
  static Proposal of(Namespace ns, Op op, ObjectNode args, Arguments arguments) {
    OrderedData data = ns.data;
    switch (op) {
      case PUT:
        {
          String key = arguments.key(op, args);
          JsonNode previous = data.get(key);
          return one(
              flag(args, Fields.RETURN_PREVIOUS) ? previous : null, key, previous, value(op, args));
        }
      case REMOVE:
        {
          String key = arguments.key(op, args);
          JsonNode previous = data.get(key);
          return previous == null ? none(null) : one(previous, key, previous, null);
        }
      case REMOVE_IF:
        {
          String key = arguments.key(op, args);
          JsonNode current = data.get(key);
          if (current == null || !Json.equal(current, field(op, args, Fields.EXPECTED))) {
            return none(BooleanNode.FALSE);
          }
          return one(BooleanNode.TRUE, key, current, null);
        }
      case REPLACE:
        {
          String key = arguments.key(op, args);
          JsonNode previous = data.get(key);
          return previous == null ? none(null) : one(previous, key, previous, value(op, args));
        }
      case REPLACE_IF:
        {
          String key = arguments.key(op, args);
          JsonNode current = data.get(key);
          if (current == null || !Json.equal(current, field(op, args, Fields.EXPECTED))) {
            return none(BooleanNode.FALSE);
          }
          return one(BooleanNode.TRUE, key, current, value(op, args));
        }
      case PUT_IF_ABSENT:
        {
          String key = arguments.key(op, args);
          JsonNode current = data.get(key);
          if (current != null && !(flag(args, Fields.NULL_IS_ABSENT) && current.isNull())) {
            return none(current);
          }
          return one(null, key, current, value(op, args));
        }
      case PUT_ALL:
        return entries(data, arguments.map(op, args), false);
      case SET:
        return entries(data, arguments.map(op, args), true);
      case CLEAR:
        {
          if (data.isEmpty()) {
            return none(null);
          }
          String[] keys = data.keys();
          JsonNode[] before = new JsonNode[keys.length];
          for (int i = 0; i < keys.length; i++) {
            before[i] = data.get(keys[i]);
          }
          return new Proposal(null, keys, before, new JsonNode[keys.length], true);
        }
      case POP_ITEM:
        {
          String key = data.lastKey();
          if (key == null) {
            return none(null);
          }
          JsonNode value = Objects.requireNonNull(data.get(key), "the last key is present");
          return one(new Replies.Popped(key, value).encode(), key, value, null);
        }
      case INCREMENT:
        {
          JsonNode delta = field(op, args, Fields.DELTA);
          if (!delta.isIntegralNumber() || !delta.canConvertToLong()) {
            throw invalid(op, Fields.DELTA + "' (the delta) must be an integer");
          }
          String key = arguments.key(op, args);
          JsonNode current = data.get(key);
          JsonNode next = Increments.next(ns.name, key, current, delta.longValue());
          return one(JsonNodeFactory.instance.numberNode(next.longValue()), key, current, next);
        }
      default:
        throw new IllegalArgumentException("not a plain mutation: " + op);
    }
  }

  /**
   * {@code putAll} (the entries, in their order) or {@code set} (the same after emptying: the keys
   * that go are touched too, after the new ones).
   */
  private static Proposal entries(OrderedData data, ObjectNode values, boolean reset) {
    Set<String> keys = new LinkedHashSet<>();
    values.fieldNames().forEachRemaining(keys::add);
    if (reset) {
      for (String k : data.keys()) {
        keys.add(k);
      }
    }
    if (keys.isEmpty()) {
      return none(null);
    }
    String[] k = keys.toArray(NONE);
    JsonNode[] before = new JsonNode[k.length];
    JsonNode[] after = new JsonNode[k.length];
    for (int i = 0; i < k.length; i++) {
      before[i] = data.get(k[i]);
      after[i] = values.get(k[i]);
    }
    return new Proposal(null, k, before, after, reset);
  }

  /** An atomic task's writes: {@code puts} in their order, then {@code removes}. */
  static Proposal writes(OrderedData data, ObjectNode puts, String[] removes) {
    List<String> keys = new ArrayList<>();
    List<JsonNode> after = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = puts.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      keys.add(e.getKey());
      after.add(e.getValue());
    }
    for (String k : removes) {
      keys.add(k);
      after.add(null);
    }
    String[] k = keys.toArray(NONE);
    JsonNode[] before = new JsonNode[k.length];
    for (int i = 0; i < k.length; i++) {
      before[i] = data.get(k[i]);
    }
    return new Proposal(null, k, before, after.toArray(new JsonNode[0]), false);
  }
}
