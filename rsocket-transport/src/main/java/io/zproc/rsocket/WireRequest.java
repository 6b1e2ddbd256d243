package io.zproc.rsocket;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One request on the wire: an operation name and its arguments, a map of plain JSON trees.
 *
 * <p>On the wire a request is one CBOR map whose {@code "op"} entry names the operation and whose
 * other entries are the arguments (see {@code docs/wire-format.md}). The arguments tree is owned by
 * the request once sent: neither side mutates it afterwards.
 *
 * @param op the operation name
 * @param args the arguments; never contains an {@code "op"} entry
 */
public record WireRequest(String op, ObjectNode args) {

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

  /** A request with no arguments yet; add them to {@link #args()}. */
  public static WireRequest of(String op) {
    return new WireRequest(op, JsonNodeFactory.instance.objectNode());
  }
}
