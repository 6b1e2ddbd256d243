package io.zproc.rsocket.codec;

import static io.zproc.rsocket.codec.Cbor.FACTORY;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Reads one CBOR data item into a plain tree, within a budget of estimated heap (the request decode
 * budget, {@link CborCodec#MAX_REQUEST_HEAP}). Stateless; never releases the buffer it reads.
 */
final class TreeDecoder {

  /** Estimated heap of a map or list node, empty. */
  private static final long CONTAINER_HEAP = 96;

  /** Estimated heap of a number, boolean or null node. */
  private static final long SCALAR_HEAP = 24;

  /** Estimated heap of a text or binary node, without its characters. */
  private static final long STRING_HEAP = 56;

  /** Estimated heap of a map entry, without its name's characters. */
  private static final long FIELD_HEAP = 88;

  /** Estimated heap of a list slot. */
  private static final long ELEMENT_HEAP = 8;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TreeDecoder() {}

  /** Reads one data item, without a heap budget. */
  static JsonNode read(ByteBuf data) {
    return read(data, Long.MAX_VALUE);
  }

  static JsonNode read(byte[] bytes, int offset, int length) {
    return read(bytes, offset, length, Long.MAX_VALUE);
  }

  /** Reads one data item, within {@code maxHeap} bytes of estimated heap. */
  static JsonNode read(ByteBuf data, long maxHeap) {
    int length = data.readableBytes();
    if (data.hasArray()) {
      return read(data.array(), data.arrayOffset() + data.readerIndex(), length, maxHeap);
    }
    return read(ByteBufUtil.getBytes(data, data.readerIndex(), length, false), 0, length, maxHeap);
  }

  /**
   * Reads one data item.
   *
   * @param maxHeap the most heap, estimated, the tree may take: a few bytes of CBOR can stand for a
   *     large tree (one byte, {@code 0xA0}, is a whole empty map)
   */
  static JsonNode read(byte[] bytes, int offset, int length, long maxHeap) {
    if (length == 0) {
      throw new CodecException("empty message: expected one CBOR data item");
    }
    JsonNode node;
    try (JsonParser p = FACTORY.createParser(bytes, offset, length)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new CodecException("empty message: expected one CBOR data item");
      }
      node = readTree(p, first, maxHeap);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        throw new CodecException(
            "malformed CBOR: a second data item ("
                + trailing
                + ") after the message; send exactly one CBOR data item");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof CodecException) {
        throw (CodecException) e;
      }
      throw new CodecException("malformed CBOR: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new CodecException("malformed CBOR: nested too deeply", e);
    }
    return node;
  }

  /**
   * Reads one data item into a tree, as Jackson's {@code JsonNodeDeserializer} does with the
   * mapper's default settings (ints as int, long or big-integer nodes by magnitude, 32-bit floats
   * as float nodes, decimal fractions with trailing zeros stripped, byte strings as binary nodes),
   * without recursion: the parser bounds the depth.
   */
  private static JsonNode readTree(JsonParser p, JsonToken first, long maxHeap) throws IOException {
    long heap = CONTAINER_HEAP;
    ContainerNode<?> root;
    if (first == JsonToken.START_OBJECT) {
      root = NODES.objectNode();
    } else if (first == JsonToken.START_ARRAY) {
      root = NODES.arrayNode();
    } else {
      return scalar(p, first);
    }
    ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
    ContainerNode<?> current = root;
    for (; ; ) {
      JsonToken t;
      String name = null;
      if (current.isObject()) {
        t = p.nextToken();
        if (t == JsonToken.FIELD_NAME) {
          name = p.currentName();
          t = p.nextToken();
        } else if (t != JsonToken.END_OBJECT) {
          throw unexpected(t);
        }
      } else {
        t = p.nextToken();
      }
      if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        if ((t == JsonToken.END_OBJECT) != current.isObject() || name != null) {
          throw unexpected(t);
        }
        if (open.isEmpty()) {
          return root;
        }
        current = open.pop();
        continue;
      }
      if (t == null) {
        throw unexpected(null);
      }
      JsonNode value;
      ContainerNode<?> child = null;
      if (t == JsonToken.START_OBJECT) {
        value = child = NODES.objectNode();
        heap += CONTAINER_HEAP;
      } else if (t == JsonToken.START_ARRAY) {
        value = child = NODES.arrayNode();
        heap += CONTAINER_HEAP;
      } else {
        value = scalar(p, t);
        heap += scalarHeap(value);
      }
      heap += name != null ? FIELD_HEAP + name.length() : ELEMENT_HEAP;
      if (heap > maxHeap) {
        throw new CodecException(
            "the message would take more than "
                + (maxHeap >> 20)
                + " MiB once decoded (many small values or empty maps and lists); send it in"
                + " smaller parts, as several values or several requests");
      }
      if (name != null) {
        ((ObjectNode) current).replace(name, value); // the parser rejects duplicate names
      } else {
        ((ArrayNode) current).add(value);
      }
      if (child != null) {
        open.push(current);
        current = child;
      }
    }
  }

  /** A decoded scalar's heap, estimated: a node, and its text or bytes. */
  private static long scalarHeap(JsonNode value) {
    if (value.isTextual()) {
      return STRING_HEAP + value.textValue().length();
    }
    if (value.isBinary()) {
      return STRING_HEAP + ((BinaryNode) value).binaryValue().length;
    }
    return SCALAR_HEAP;
  }

  private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        switch (p.getNumberTypeFP()) {
          case BIG_DECIMAL:
            BigDecimal decimal = p.getDecimalValue();
            if (NODES.willStripTrailingBigDecimalZeroes()) {
              try {
                decimal = decimal.stripTrailingZeros();
              } catch (ArithmeticException e) {
                // keep it as it is, as Jackson does
              }
            }
            return NODES.numberNode(decimal);
          case FLOAT32:
            return NODES.numberNode(p.getFloatValue());
          default:
            return NODES.numberNode(p.getDoubleValue());
        }
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      case VALUE_EMBEDDED_OBJECT:
        {
          Object embedded = p.getEmbeddedObject();
          if (embedded == null) {
            return NODES.nullNode();
          }
          if (embedded instanceof byte[]) {
            return NODES.binaryNode((byte[]) embedded);
          }
          if (embedded instanceof JsonNode) {
            return (JsonNode) embedded;
          }
          return NODES.pojoNode(embedded);
        }
      default:
        throw unexpected(t);
    }
  }

  private static CodecException unexpected(@Nullable JsonToken t) {
    return new CodecException(
        t == null
            ? "malformed CBOR: the message ends inside a map or an array"
            : "malformed CBOR: unexpected " + t + " in a map or an array");
  }
}
