package io.zproc.rsocket.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
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

  /** Deepest nesting a decoded tree may have. */
  public static final int MAX_NESTING_DEPTH = 200;

  /** {@code {}}: an empty definite-length map. */
  private static final byte[] EMPTY_RESULT = {(byte) 0xA0};

  private static final WireReply NO_RESULT = new WireReply.Result(null);

  private CborCodec() {}

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
    return TreeEncoder.write(node);
  }

  /**
   * Decodes a request.
   *
   * @throws CodecException if the bytes are not a CBOR map with a text {@code "op"} entry
   */
  public static WireRequest decodeRequest(ByteBuf data) {
    JsonNode node = TreeDecoder.read(data, MAX_REQUEST_HEAP);
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
    return TreeEncoder.write(node);
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
    return TreeEncoder.write(node);
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
    JsonNode node = TreeDecoder.read(data);
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
    return TreeEncoder.write(Objects.requireNonNull(node, "node"));
  }

  /**
   * Decodes a plain tree.
   *
   * @throws CodecException if the bytes are not exactly one CBOR data item
   */
  public static JsonNode decode(ByteBuf data) {
    return TreeDecoder.read(data);
  }

  /** Decodes a plain tree from an array. */
  public static JsonNode decode(byte[] data) {
    return TreeDecoder.read(data, 0, data.length);
  }
}
