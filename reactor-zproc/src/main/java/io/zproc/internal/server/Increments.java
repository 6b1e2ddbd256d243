package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zproc.rsocket.WireException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What {@code increment} stores: an integer plus a delta, absent or null counting as 0. */
final class Increments {
  private Increments() {}

  /**
   * The value after adding {@code delta} to {@code current}: an int node while it fits, else a long
   * node.
   *
   * @throws WireException {@code INVALID_ARGUMENT} if the value is not an integer, or the sum
   *     overflows a long
   */
  static JsonNode next(String namespace, String key, @Nullable JsonNode current, long delta) {
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
              + namespace
              + "': its value is a "
              + current.getNodeType().toString().toLowerCase(Locale.ROOT)
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
    return result == (int) result
        ? JsonNodeFactory.instance.numberNode((int) result)
        : JsonNodeFactory.instance.numberNode(result);
  }
}
