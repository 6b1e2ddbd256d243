package io.zproc.rsocket.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import java.io.IOException;
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

  /** Deepest nesting a decoded tree may have. */
  public static final int MAX_NESTING_DEPTH = 200;

  private static final CBORMapper MAPPER = newMapper();

  private static final byte[] EMPTY_RESULT;

  static {
    try {
      EMPTY_RESULT = MAPPER.writeValueAsBytes(JsonNodeFactory.instance.objectNode());
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private CborCodec() {}

  private static CBORMapper newMapper() {
    CBORFactory factory =
        CBORFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(10_000)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    return CBORMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  /** Encodes a request: one CBOR map with {@code "op"} first, then the arguments. */
  public static byte[] encodeRequest(WireRequest request) {
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
    JsonNode node = read(data);
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

  /** Encodes a successful reply; {@code null} means "no result". */
  public static byte[] encodeResult(@Nullable JsonNode result) {
    if (result == null) {
      return EMPTY_RESULT.clone();
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("r", result);
    return write(node);
  }

  /** Encodes an error reply. */
  public static byte[] encodeFailure(String code, String message) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("e", code);
    node.put("m", message);
    return write(node);
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

  /** Encodes a plain tree (a stream element, a setup payload). */
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
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      // Writing a tree to a byte array does not fail for any tree the mapper itself builds.
      throw new CodecException("cannot encode tree: " + e.getMessage(), e);
    }
  }

  private static JsonNode read(ByteBuf data) {
    int length = data.readableBytes();
    if (data.hasArray()) {
      return read(data.array(), data.arrayOffset() + data.readerIndex(), length);
    }
    return read(ByteBufUtil.getBytes(data, data.readerIndex(), length, false), 0, length);
  }

  private static JsonNode read(byte[] bytes, int offset, int length) {
    if (length == 0) {
      throw new CodecException("empty message: expected one CBOR data item");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes, offset, length);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("malformed CBOR: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new CodecException("malformed CBOR: nested too deeply", e);
    }
    if (node == null || node.isMissingNode()) {
      throw new CodecException("empty message: expected one CBOR data item");
    }
    return node;
  }
}
