package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One request on the wire: an operation name and its arguments, a map of plain JSON trees.
 *
 * <p>On the wire a request is one CBOR map whose {@code "op"} entry names the operation and whose
 * other entries are the arguments (see {@code docs/wire-format.md}). The arguments tree is owned by
 * the request once sent: neither side mutates it afterwards.
 *
 * <p><b>Progress:</b> a request may carry a consumer of <em>progress</em> messages, which the
 * server may send before the reply. It is not encoded: where the path has a channel for it, the
 * server's transport gives the session a request whose consumer sends the message back, and the
 * client's transport hands what comes to this consumer. The lane and the in-JVM direct path have
 * such a channel; RSocket has none, so there the session sees no consumer and answers without
 * progress. The consumer must be quick and must not block: on the server it only starts a write, on
 * the client it records what it got.
 *
 * @param op the operation name
 * @param args the arguments; never contains an {@code "op"} entry
 * @param progress receives the request's progress messages, or {@code null} for none
 */
public record WireRequest(String op, ObjectNode args, @Nullable Consumer<JsonNode> progress) {

  /**
   * @throws IllegalArgumentException if {@code args} has an {@code "op"} entry
   */
  public WireRequest {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(args, "args");
    if (args.has("op")) {
      throw new IllegalArgumentException(
          "the arguments of request '"
              + op
              + "' have an 'op' entry, which would replace the operation on the wire; nest the"
              + " value under another name");
    }
  }

  /**
   * A request that takes no progress messages.
   *
   * @throws IllegalArgumentException if {@code args} has an {@code "op"} entry
   */
  public WireRequest(String op, ObjectNode args) {
    this(op, args, null);
  }

  /** A request with no arguments yet; add them to {@link #args()}. */
  public static WireRequest of(String op) {
    return new WireRequest(op, JsonNodeFactory.instance.objectNode());
  }
}
