package io.zproc.rsocket.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes wire messages as CBOR. Stateless and thread-safe.
 *
 * <p>Decoders accept a {@link ByteBuf} and never release it: the caller, who owns the payload,
 * releases it after decoding. Every decoder either returns a message or throws {@link
 * CodecException}; nothing else escapes.
 *
 * @see <a href="../../../../../../../docs/wire-format.md">docs/wire-format.md</a>
 */
public final class CborCodec {

  /**
   * The most heap a decoded request may take, estimated: 64 MiB. A request's bytes are bounded by
   * the server's frame limit, but one byte of CBOR can stand for a whole map; this bounds what a
   * peer can make a server allocate with one request, whatever it is made of. Replies and changes,
   * which come from a server, are not bounded.
   */
  public static final long MAX_REQUEST_HEAP = 64L * 1024 * 1024;

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

  /** Deepest nesting a decoded tree may have. */
  public static final int MAX_NESTING_DEPTH = 200;

  /**
   * Reads and writes the CBOR. Trees are written and read with the streaming API, node by node as
   * Jackson's {@code CBORMapper} would (the same bytes, the same nodes), without its data-binding
   * machinery: a process that only talks to a server (a spare child JVM) then never loads or
   * initializes an {@code ObjectMapper}. See {@link MapperHolder} for the rare nodes that need one.
   */
  private static final CBORFactory FACTORY =
      CBORFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNumberLength(10_000)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** {@code {}}: an empty definite-length map. */
  private static final byte[] EMPTY_RESULT = {(byte) 0xA0};

  private static final WireReply NO_RESULT = new WireReply.Result(null);

  private CborCodec() {}

  /**
   * The mapper for nodes the streaming writer does not know (a {@code POJONode}, a raw value, a
   * custom node class): created on first use only, since it costs a few MB of classes.
   */
  static final class MapperHolder {
    static final CBORMapper MAPPER =
        CBORMapper.builder(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private MapperHolder() {}
  }

  /**
   * Encodes a request: one CBOR map with {@code "op"} first, then the arguments.
   *
   * @throws CodecException if a string in it cannot be encoded (an unpaired UTF-16 surrogate)
   * @throws IllegalArgumentException if the arguments have an {@code "op"} entry
   */
  public static byte[] encodeRequest(WireRequest request) {
    if (request.args().has("op")) {
      // The record checks this, but its args tree may have been changed since.
      throw new IllegalArgumentException(
          "the arguments of request '"
              + request.op()
              + "' have an 'op' entry, which would replace the operation on the wire; nest the"
              + " value under another name");
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("op", request.op());
    node.setAll(request.args());
    return write(node);
  }

  /**
   * Decodes a request.
   *
   * @throws CodecException if the bytes are not a CBOR map with a text {@code "op"} entry
   */
  public static WireRequest decodeRequest(ByteBuf data) {
    JsonNode node = read(data, MAX_REQUEST_HEAP);
    if (!(node instanceof ObjectNode)) {
      throw new CodecException(
          "a request must be a CBOR map with an 'op' entry, got a " + node.getNodeType());
    }
    ObjectNode map = (ObjectNode) node;
    JsonNode op = map.remove("op");
    if (op == null || !op.isTextual()) {
      throw new CodecException("a request must have a text 'op' entry naming the operation");
    }
    return new WireRequest(op.textValue(), map);
  }

  /**
   * Encodes a successful reply; {@code null} means "no result".
   *
   * @throws CodecException if a string in it cannot be encoded (an unpaired UTF-16 surrogate)
   */
  public static byte[] encodeResult(@Nullable JsonNode result) {
    if (result == null) {
      return EMPTY_RESULT.clone();
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("r", result);
    return write(node);
  }

  /**
   * Encodes an error reply.
   *
   * @throws CodecException if a string in it cannot be encoded (an unpaired UTF-16 surrogate)
   */
  public static byte[] encodeFailure(String code, String message) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    // Messages may quote what a peer sent; an error reply must always be encodable.
    node.put("e", wellFormed(code));
    node.put("m", wellFormed(message));
    return write(node);
  }

  /** The text with every unpaired surrogate replaced by U+FFFD, so that it can be encoded. */
  private static String wellFormed(String text) {
    int length = text.length();
    int i = 0;
    while (i < length && !Character.isSurrogate(text.charAt(i))) {
      i++;
    }
    if (i == length) {
      return text;
    }
    StringBuilder fixed = new StringBuilder(length).append(text, 0, i);
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        fixed.append(c).append(text.charAt(++i));
      } else {
        fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return fixed.toString();
  }

  /** Encodes any reply. */
  public static byte[] encodeReply(WireReply reply) {
    if (reply instanceof WireReply.Result) {
      return encodeResult(((WireReply.Result) reply).value());
    }
    WireReply.Failure failure = (WireReply.Failure) reply;
    return encodeFailure(failure.code(), failure.message());
  }

  /**
   * Decodes a reply.
   *
   * @throws CodecException if the bytes are not a reply map
   */
  public static WireReply decodeReply(ByteBuf data) {
    if (data.readableBytes() == 1 && data.getUnsignedByte(data.readerIndex()) == 0xA0) {
      return NO_RESULT; // {} : the most common reply, decoded without a parser
    }
    JsonNode node = read(data);
    if (!(node instanceof ObjectNode)) {
      throw new CodecException("a reply must be a CBOR map, got a " + node.getNodeType());
    }
    JsonNode code = node.get("e");
    if (code != null) {
      JsonNode message = node.get("m");
      if (!code.isTextual() || message == null || !message.isTextual() || node.size() != 2) {
        throw new CodecException("an error reply must be {\"e\": code, \"m\": message}");
      }
      return new WireReply.Failure(code.textValue(), message.textValue());
    }
    if (node.size() == 0) {
      return new WireReply.Result(null);
    }
    JsonNode result = node.get("r");
    if (result == null || node.size() != 1) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      throw new CodecException(
          "a reply must be {}, {\"r\": result} or {\"e\": code, \"m\": message}, got a map"
              + " with key '"
              + fields.next().getKey()
              + "'");
    }
    return new WireReply.Result(result);
  }

  /**
   * An upper bound of the size of {@link #encodeRequest}'s result, found by walking the tree
   * without encoding it: a text counts 4 bytes per char plus headers, a number 9 (a big one its
   * digits), a container its header and contents. Returns {@link Long#MAX_VALUE} for a tree with
   * nodes the bound does not know (such as a POJO node).
   */
  public static long requestSizeBound(WireRequest request) {
    long size = 9 + textBound("op") + textBound(request.op());
    Iterator<Map.Entry<String, JsonNode>> fields = request.args().fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      size =
          saturatedAdd(size, saturatedAdd(textBound(field.getKey()), sizeBound(field.getValue())));
    }
    return size;
  }

  private static long sizeBound(JsonNode node) {
    switch (node.getNodeType()) {
      case STRING:
        return textBound(node.textValue());
      case BOOLEAN:
      case NULL:
        return 1;
      case NUMBER:
        if (node.isBigInteger()) {
          return 16 + node.bigIntegerValue().bitLength() / 8;
        }
        if (node.isBigDecimal()) {
          return 32 + node.decimalValue().unscaledValue().bitLength() / 8;
        }
        return 9;
      case BINARY:
        return node instanceof BinaryNode
            ? 9 + ((BinaryNode) node).binaryValue().length
            : Long.MAX_VALUE;
      case ARRAY:
        {
          long size = 9;
          for (JsonNode element : node) {
            size = saturatedAdd(size, sizeBound(element));
          }
          return size;
        }
      case OBJECT:
        {
          long size = 9;
          Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
          while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            size =
                saturatedAdd(
                    size, saturatedAdd(textBound(field.getKey()), sizeBound(field.getValue())));
          }
          return size;
        }
      default:
        return Long.MAX_VALUE;
    }
  }

  /** UTF-8 takes at most 3 bytes per UTF-16 char; chunked long strings add a header per chunk. */
  private static long textBound(String text) {
    return 16 + 4L * text.length();
  }

  /** Adds two non-negative sizes, sticking at {@link Long#MAX_VALUE}. */
  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Encodes a plain tree (a stream element, a setup payload).
   *
   * @throws CodecException if a string in it cannot be encoded (an unpaired UTF-16 surrogate)
   */
  public static byte[] encode(JsonNode node) {
    return write(Objects.requireNonNull(node, "node"));
  }

  /**
   * Decodes a plain tree.
   *
   * @throws CodecException if the bytes are not exactly one CBOR data item
   */
  public static JsonNode decode(ByteBuf data) {
    return read(data);
  }

  /** Decodes a plain tree from an array. */
  public static JsonNode decode(byte[] data) {
    return read(data, 0, data.length);
  }

  private static byte[] write(JsonNode node) {
    BufferRecycler recycler = FACTORY._getBufferRecycler();
    try (ByteArrayBuilder bytes = new ByteArrayBuilder(recycler)) {
      try (JsonGenerator g = FACTORY.createGenerator(bytes)) {
        writeTree(g, node);
      }
      byte[] result = bytes.toByteArray();
      bytes.release();
      return result;
    } catch (JsonProcessingException e) {
      // Happens for text CBOR cannot carry (an unpaired UTF-16 surrogate) and for trees nested
      // deeper than the generator allows.
      String why = String.valueOf(e.getOriginalMessage());
      throw new CodecException(
          "cannot encode tree: "
              + why
              + (why.contains("surrogate")
                  ? "; CBOR text must be valid Unicode, so replace or drop unpaired surrogates"
                  : ""),
          e);
    } catch (IOException e) {
      throw new CodecException("cannot encode tree: " + e, e); // not from an in-memory buffer
    } finally {
      recycler.releaseToPool();
    }
  }

  /**
   * Writes a tree as {@code JsonNode.serialize} does with the mapper's default settings: maps and
   * arrays with their length up front, every entry (nulls too) in the tree's order.
   */
  private static void writeTree(JsonGenerator g, JsonNode node) throws IOException {
    if (node instanceof ObjectNode) {
      g.writeStartObject(node, node.size());
      for (Map.Entry<String, JsonNode> field : ((ObjectNode) node).properties()) {
        g.writeFieldName(field.getKey());
        writeTree(g, field.getValue());
      }
      g.writeEndObject();
    } else if (node instanceof TextNode) {
      g.writeString(node.textValue());
    } else if (node instanceof ArrayNode) {
      int size = node.size();
      g.writeStartArray(node, size);
      for (int i = 0; i < size; i++) {
        writeTree(g, node.get(i));
      }
      g.writeEndArray();
    } else if (node instanceof NumericNode) {
      writeNumber(g, node);
    } else if (node instanceof BooleanNode) {
      g.writeBoolean(node.booleanValue());
    } else if (node instanceof NullNode || node.isMissingNode()) {
      g.writeNull();
    } else if (node instanceof BinaryNode) {
      byte[] data = node.binaryValue();
      if (data == null) {
        g.writeNull();
      } else {
        g.writeBinary(data, 0, data.length);
      }
    } else {
      MapperHolder.MAPPER.writeTree(g, node); // a POJO node, a raw value, a node of another kind
    }
  }

  private static void writeNumber(JsonGenerator g, JsonNode node) throws IOException {
    switch (node.numberType()) {
      case INT:
        if (node.isShort()) {
          g.writeNumber(node.shortValue());
        } else {
          g.writeNumber(node.intValue());
        }
        return;
      case LONG:
        g.writeNumber(node.longValue());
        return;
      case BIG_INTEGER:
        g.writeNumber(node.bigIntegerValue());
        return;
      case FLOAT:
        g.writeNumber(node.floatValue());
        return;
      case DOUBLE:
        g.writeNumber(node.doubleValue());
        return;
      case BIG_DECIMAL:
        g.writeNumber(node.decimalValue());
        return;
      default:
        MapperHolder.MAPPER.writeTree(g, node);
    }
  }

  private static JsonNode read(ByteBuf data) {
    return read(data, Long.MAX_VALUE);
  }

  private static JsonNode read(byte[] bytes, int offset, int length) {
    return read(bytes, offset, length, Long.MAX_VALUE);
  }

  private static JsonNode read(ByteBuf data, long maxHeap) {
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
  private static JsonNode read(byte[] bytes, int offset, int length, long maxHeap) {
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
