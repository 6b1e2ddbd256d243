package io.zproc.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.rsocket.WireRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The operations of the state protocol, each with its name on the wire (see {@code
 * docs/wire-format.md#state-operations}). The names are the protocol: never rename one.
 */
public enum Op {
  GET("get", false),
  PUT("put", true),
  REMOVE("remove", true),
  REMOVE_IF("removeIf", true),
  REPLACE("replace", true),
  REPLACE_IF("replaceIf", true),
  PUT_ALL("putAll", true),
  PUT_IF_ABSENT("putIfAbsent", true),
  POP_ITEM("popItem", true),
  CONTAINS_KEY("containsKey", false),
  CONTAINS_VALUE("containsValue", false),
  SIZE("size", false),
  CLEAR("clear", true),
  SET("set", true),
  SNAPSHOT("snapshot", false),
  INCREMENT("increment", true),
  PING("ping", false),
  /** The namespace's version. */
  VERSION("version", false),
  /** Waits for the namespace's atomic lock; replies with the state and the lock's token. */
  BEGIN("begin", false),
  /** Commits an atomic task's writes if nothing it read changed. */
  COMMIT("commit", true),
  /** Gives the atomic lock back. */
  ABORT("abort", false),
  /**
   * The first state that passes a test, tested on the server. Without {@link Fields#AFTER} it tests
   * the current state and answers at once, with {@link Replies.Passed} if it passes or {@link
   * Replies.Pending} if not; with {@link Fields#AFTER} it answers once a state after that version,
   * made by another origin than {@link Fields#EXCLUDE}, passes: {@code {"change": event, "snap":
   * {"ver", "m"}}}.
   */
  WHEN("when", false),
  /** Stream: the changes of a namespace after a version. */
  WATCH("watch", false),
  /** Forgets a namespace: its state, journal and watches. Replies whether there was one. */
  DROP("drop", false),
  /** The names of the server's namespaces, sorted, without the library's own. */
  NAMESPACES("namespaces", false),
  /**
   * Stream: a remote {@code processMap} worker joins with its {@link Fields#SLOTS}; elements are
   * batches to run and notices of calls that ended (see {@code
   * docs/wire-format.md#remote-workers}).
   */
  WORKER("worker", false),
  /** A batch of a {@code processMap} call for the remote workers; answers with its outcome. */
  MAP_BATCH("mapBatch", false),
  /** A remote worker's outcome of a batch it was given. */
  MAP_DONE("mapDone", false),
  /** A {@code processMap} call with remote workers ended: forget its task. */
  MAP_DROP("mapDrop", false);

  private static final Map<String, Op> BY_WIRE_NAME = new HashMap<>();

  /**
   * Whether the operation names a namespace ({@link Fields#NS}); {@code ping}, {@code namespaces}
   * and the remote workers' operations do not.
   */
  public boolean namespaced() {
    switch (this) {
      case PING:
      case NAMESPACES:
      case WORKER:
      case MAP_BATCH:
      case MAP_DONE:
      case MAP_DROP:
        return false;
      default:
        return true;
    }
  }

  static {
    for (Op op : values()) {
      BY_WIRE_NAME.put(op.wireName, op);
    }
  }

  private final String wireName;
  private final boolean mutation;

  Op(String wireName, boolean mutation) {
    this.wireName = wireName;
    this.mutation = mutation;
  }

  /** The operation's name on the wire, such as {@code "putIfAbsent"}. */
  public String wireName() {
    return wireName;
  }

  /** Whether the operation may change the namespace (and so wakes its watchers). */
  public boolean isMutation() {
    return mutation;
  }

  /** A request of this operation with these arguments. */
  public WireRequest request(ObjectNode args) {
    return new WireRequest(wireName, args);
  }

  /**
   * A request of this operation that takes the server's progress (see {@link
   * WireRequest#progress()}).
   */
  public WireRequest request(ObjectNode args, Consumer<JsonNode> progress) {
    return new WireRequest(wireName, args, progress);
  }

  /** The operation named {@code wireName} on the wire, or null if there is none. */
  public static @Nullable Op of(String wireName) {
    return BY_WIRE_NAME.get(wireName);
  }
}
