package io.zproc.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The shapes of the state protocol's structured replies, each encoded and decoded here only (see
 * {@code docs/wire-format.md#state-operations}). Plain results (a value, a boolean, a number) need
 * no shape. Decoding trusts the server: a reply of the wrong shape is a bug, not an input error.
 */
public final class Replies {
  private Replies() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * A namespace's state, {@code {"ver": version, "m": {entries in insertion order}}}: the reply of
   * {@link Op#SNAPSHOT}, and part of the replies of {@link Op#BEGIN}, {@link Op#COMMIT} and {@link
   * Op#WHEN}.
   *
   * @param version the namespace's version
   * @param entries its entries, in insertion order; shared, never to be changed
   */
  public record StateReply(long version, ObjectNode entries) {
    /** The reply's tree. */
    public ObjectNode encode() {
      ObjectNode reply = F.objectNode();
      reply.put(Fields.VERSION, version);
      reply.set(Fields.MAP, entries);
      return reply;
    }

    public static StateReply decode(JsonNode reply) {
      return new StateReply(
          reply.get(Fields.VERSION).longValue(), (ObjectNode) reply.get(Fields.MAP));
    }
  }

  /**
   * The reply of {@link Op#BEGIN}: the state with the atomic lock's token, {@code {"ver", "m",
   * "tok"}}.
   *
   * @param state the namespace's state when the lock was granted
   * @param token the lock's token, or 0 for none
   */
  public record Granted(StateReply state, long token) {
    /** The reply: {@code state} (a {@link StateReply} tree, changed in place) with the token. */
    public static ObjectNode encode(ObjectNode state, long token) {
      state.put(Fields.TOKEN, token);
      return state;
    }

    public static Granted decode(JsonNode reply) {
      return new Granted(StateReply.decode(reply), reply.path(Fields.TOKEN).asLong(0));
    }
  }

  /**
   * The reply of {@link Op#COMMIT}: {@code {"ok": true, "ver"}}, or on a conflict {@code {"ok":
   * false, "snap": {"ver", "m"}, "held": true}} ({@code held} only if the caller still holds the
   * atomic lock).
   *
   * @param ok whether the writes were committed
   * @param held on a conflict, whether the caller still holds the lock (and runs again at once)
   * @param state on a conflict, the current state; else null
   */
  public record Commit(boolean ok, boolean held, @Nullable StateReply state) {
    /** The reply of a commit that made {@code version}. */
    public static ObjectNode committed(long version) {
      ObjectNode reply = F.objectNode();
      reply.put(Fields.OK, true);
      reply.put(Fields.VERSION, version);
      return reply;
    }

    /** The reply of a commit refused because what the task read changed. */
    public static ObjectNode conflict(ObjectNode state, boolean held) {
      ObjectNode reply = F.objectNode();
      reply.put(Fields.OK, false);
      reply.set(Fields.WITH_SNAPSHOT, state);
      if (held) {
        reply.put(Fields.HELD, true);
      }
      return reply;
    }

    /** Whether a commit reply is a conflict, without decoding it. */
    public static boolean isConflict(JsonNode reply) {
      return !reply.path(Fields.OK).asBoolean(true);
    }

    public static Commit decode(JsonNode reply) {
      JsonNode state = reply.get(Fields.WITH_SNAPSHOT);
      return new Commit(
          reply.get(Fields.OK).booleanValue(),
          reply.path(Fields.HELD).asBoolean(false),
          state == null ? null : StateReply.decode(state));
    }
  }

  /**
   * The reply of {@link Op#POP_ITEM} when there was an entry: {@code {"k": key, "v": value}}.
   *
   * @param key the removed entry's key
   * @param value its value
   */
  public record Popped(String key, JsonNode value) {
    public ObjectNode encode() {
      ObjectNode reply = F.objectNode();
      reply.put(Fields.KEY, key);
      reply.set(Fields.VALUE, value);
      return reply;
    }

    public static Popped decode(JsonNode reply) {
      return new Popped(reply.get(Fields.KEY).textValue(), reply.get(Fields.VALUE));
    }
  }

  /**
   * The reply of {@link Op#WHEN} when the current state did not pass (and its progress, where the
   * transport sends progress): {@code {"at": version, "ep": epoch}}. A wait resumed after it names
   * both.
   *
   * @param at the version tested
   * @param epoch the server's epoch, or 0 if unknown
   */
  public record Pending(long at, long epoch) {
    public ObjectNode encode() {
      ObjectNode reply = F.objectNode();
      reply.put(Fields.AT, at);
      reply.put(Fields.EPOCH, epoch);
      return reply;
    }

    /** The pending reply, or null if {@code reply} is an answer (has no version tested). */
    public static @Nullable Pending decode(JsonNode reply) {
      JsonNode at = reply.get(Fields.AT);
      if (at == null || !at.canConvertToLong()) {
        return null;
      }
      return new Pending(at.longValue(), reply.path(Fields.EPOCH).asLong(0));
    }
  }

  /**
   * The answer of {@link Op#WHEN} (and an element of a {@link Op#WATCH} with {@link
   * Fields#WITH_SNAPSHOT}): {@code {"snap": {"ver", "m"}}} when the current state passed, {@code
   * {"change": event, "snap": {"ver", "m"}}} when a later change made a state that passes.
   *
   * @param change the change event that made the state, or null for the state as it was
   * @param state the state that passed
   */
  public record Answer(@Nullable JsonNode change, JsonNode state) {
    public ObjectNode encode() {
      ObjectNode reply = F.objectNode();
      if (change != null) {
        reply.set(Fields.CHANGE, change);
      }
      reply.set(Fields.WITH_SNAPSHOT, state);
      return reply;
    }

    public static Answer decode(JsonNode reply) {
      return new Answer(reply.get(Fields.CHANGE), reply.get(Fields.WITH_SNAPSHOT));
    }
  }
}
