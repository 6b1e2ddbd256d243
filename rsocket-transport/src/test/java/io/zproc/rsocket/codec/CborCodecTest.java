package io.zproc.rsocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.testing.Floods;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CborCodecTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final CBORMapper PLAIN = new CBORMapper();

  private static byte[] cbor(JsonNode node) throws Exception {
    return PLAIN.writeValueAsBytes(node);
  }

  private static ByteBuf wrap(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  private static ByteBuf hex(String hex) {
    return wrap(HexFormat.of().parseHex(hex));
  }

  @Test
  void encodeRequest_opAndArgs_opIsTheFirstEntry() throws Exception {
    WireRequest request = WireRequest.of("put");
    request.args().put("key", "k").put("value", 5);

    JsonNode raw = PLAIN.readTree(CborCodec.encodeRequest(request));

    Iterator<String> names = raw.fieldNames();
    assertThat(names.next()).isEqualTo("op");
    assertThat(raw).isEqualTo(F.objectNode().put("op", "put").put("key", "k").put("value", 5));
  }

  @Test
  void decodeRequest_smallBytesHugeTree_refusedBeforeTheHeapIsSpent() {
    byte[] flood = Floods.emptyMapsRequest("echo", 15 * 1024 * 1024);

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(Unpooled.wrappedBuffer(flood)))
        .withMessageContaining("MiB once decoded")
        .withMessageContaining("smaller parts");
  }

  @Test
  void decodeRequest_largeHonestValues_decoded() {
    WireRequest request = WireRequest.of("put");
    ArrayNode numbers = request.args().putArray("v");
    for (int i = 0; i < 1_000_000; i++) {
      numbers.add(i);
    }
    request.args().put("text", "x".repeat(16 * 1024 * 1024 - 1024));

    WireRequest decoded =
        CborCodec.decodeRequest(Unpooled.wrappedBuffer(CborCodec.encodeRequest(request)));

    assertThat(decoded.args().get("v")).hasSize(1_000_000);
    assertThat(decoded.args().get("text").textValue()).hasSize(16 * 1024 * 1024 - 1024);
  }

  @Test
  void decode_reply_notBoundedLikeARequest() {
    byte[] flood = Floods.emptyMaps(200_000);

    assertThat(CborCodec.decode(flood)).hasSize(200_000);
  }

  @Test
  void decodeRequest_encodedRequest_sameOpAndArgs() {
    WireRequest request = WireRequest.of("get");
    request.args().put("key", "k").putArray("path").add(1).add("x");

    assertThat(CborCodec.decodeRequest(wrap(CborCodec.encodeRequest(request)))).isEqualTo(request);
  }

  @Test
  void decodeRequest_pooledDirectBuffer_neitherReleasedNorConsumed() {
    byte[] bytes = CborCodec.encodeRequest(WireRequest.of("ping"));
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes);
    try {
      assertThat(CborCodec.decodeRequest(buffer).op()).isEqualTo("ping");
      assertThat(buffer.refCnt()).isOne();
      assertThat(buffer.readerIndex()).isZero();
    } finally {
      buffer.release();
    }
  }

  @Test
  void decodeRequest_slicedBuffer_readsOnlyTheSlice() {
    byte[] bytes = CborCodec.encodeRequest(WireRequest.of("ping"));
    ByteBuf padded = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3}).writeBytes(bytes);
    padded.writeByte(7);

    WireRequest request = CborCodec.decodeRequest(padded.slice(3, bytes.length));

    assertThat(request.op()).isEqualTo("ping");
  }

  @Test
  void encodeRequest_argsWithOpEntry_illegalArgument() {
    ObjectNode args = F.objectNode().put("op", "clear");
    WireRequest request = WireRequest.of("get");
    request.args().setAll(args);

    assertThatExceptionOfType(IllegalArgumentException.class)
        .isThrownBy(() -> CborCodec.encodeRequest(request))
        .withMessageContaining("'op'");
  }

  @Test
  void decodeRequest_arrayNotMap_codecException() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(wrap(cbor(F.arrayNode().add("op")))))
        .withMessageContaining("must be a CBOR map")
        .withMessageContaining("ARRAY");
  }

  @Test
  void decodeRequest_noOp_codecException() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(wrap(cbor(F.objectNode().put("key", "k")))))
        .withMessageContaining("'op'");
  }

  @Test
  void decodeRequest_opNotText_codecException() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(wrap(cbor(F.objectNode().put("op", 3)))))
        .withMessageContaining("text 'op'");
  }

  @Test
  void decodeRequest_empty_codecException() {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(Unpooled.EMPTY_BUFFER))
        .withMessageContaining("empty message");
  }

  @Test
  void decodeRequest_twoDataItems_codecException() throws Exception {
    byte[] one = CborCodec.encodeRequest(WireRequest.of("a"));
    ByteBuf two = Unpooled.wrappedBuffer(one, one);

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(two))
        .withMessageContaining("malformed CBOR");
  }

  @Test
  void decodeRequest_duplicateKey_codecException() {
    // {"op": "a", "op": "b"}
    ByteBuf duplicate = hex("a2" + "626f70" + "6161" + "626f70" + "6162");

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeRequest(duplicate))
        .withMessageContaining("op");
  }

  @Test
  void decode_nestedDeeperThanTheLimit_codecException() throws Exception {
    ArrayNode deep = F.arrayNode();
    ArrayNode inner = deep;
    for (int i = 0; i < CborCodec.MAX_NESTING_DEPTH + 5; i++) {
      inner = inner.addArray();
    }
    byte[] bytes = cbor(deep);

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decode(bytes))
        .withMessageContaining("malformed CBOR");
  }

  @Test
  void decode_nestedToTheLimit_decodes() throws Exception {
    ArrayNode deep = F.arrayNode();
    ArrayNode inner = deep;
    for (int i = 1; i < CborCodec.MAX_NESTING_DEPTH; i++) {
      inner = inner.addArray();
    }

    assertThat(CborCodec.decode(cbor(deep))).isEqualTo(deep);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7b7fffffffffffffff", // text string of 2^63-1 bytes
        "5b7fffffffffffffff", // byte string of 2^63-1 bytes
        "7a7fffffff61", // text string of 2^31-1 bytes, one given
        "9b7fffffffffffffff", // array of 2^63-1 items
        "bb7fffffffffffffff", // map of 2^63-1 entries
        "9a7fffffff01", // array of 2^31-1 items, one given
        "7f61616161ff", // indefinite text with a chunk of the wrong kind? (valid chunks)
        "7f4161ff", // indefinite text with a byte-string chunk
        "ff", // break outside an indefinite item
        "1c", // reserved additional info
        "f8", // simple value, missing byte
        "c2", // tag without content
        "c24a" + "00", // bignum with truncated content
        "d9d9f7" + "a0", // self-described CBOR tag, then {}
        "a1" + "01" + "02", // {1: 2}: integer key
        "a1" + "f6" + "01", // {null: 1}
        "a1" + "a0" + "01", // {{}: 1}: map as key
        "fb7ff8000000000001", // a NaN payload
      })
  void decode_hostileHeader_valueOrCodecException(String hex) {
    for (int i = 0; i < 3; i++) {
      try {
        Object decoded =
            switch (i) {
              case 0 -> CborCodec.decode(hex(hex));
              case 1 -> CborCodec.decodeRequest(hex(hex));
              default -> CborCodec.decodeReply(hex(hex));
            };
        assertThat(decoded).isNotNull();
      } catch (CodecException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void decode_bigInteger_roundTrips() {
    JsonNode big = F.numberNode(BigInteger.ONE.shiftLeft(100).negate());

    assertThat(CborCodec.decode(CborCodec.encode(big))).isEqualTo(big);
  }

  @Test
  void decode_binary_roundTrips() {
    JsonNode binary = F.binaryNode(new byte[] {0, 1, 2, (byte) 0xff});

    assertThat(CborCodec.decode(CborCodec.encode(binary))).isEqualTo(binary);
  }

  @Test
  void decode_smallLong_comesBackAsInt() {
    JsonNode decoded = CborCodec.decode(CborCodec.encode(F.numberNode(5L)));

    assertThat(decoded).isEqualTo(F.numberNode(5));
    assertThat(decoded.isInt()).isTrue();
  }

  @Test
  void encode_unpairedSurrogate_codecExceptionSayingWhy() {
    JsonNode text = F.objectNode().put("k", "a\uD800b");

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.encode(text))
        .withMessageContaining("surrogate");
  }

  @Test
  void encodeFailure_unpairedSurrogateInMessage_replacedSoTheReplyIsSent() {
    WireReply reply =
        CborCodec.decodeReply(wrap(CborCodec.encodeFailure("BAD\uDC00", "x\uD800y \uD83D\uDE00")));

    assertThat(reply).isEqualTo(new WireReply.Failure("BAD\uFFFD", "x\uFFFDy \uD83D\uDE00"));
  }

  @Test
  void decode_utf8EncodedSurrogate_valueOrCodecException() {
    // "\uD800" written as the 3 bytes UTF-8 forbids (CESU-8 style)
    try {
      assertThat(CborCodec.decode(hex("63eda080"))).isNotNull();
    } catch (CodecException expected) {
      assertThat(expected).hasMessageContaining("malformed CBOR");
    }
  }

  @Test
  void requestSizeBound_largeText_atLeastTheEncodedSize() {
    WireRequest request = WireRequest.of("put");
    request.args().put("value", "\u20ac".repeat(50_000)).putArray("list").add(1L << 40).add(1.5);

    assertThat(CborCodec.requestSizeBound(request))
        .isGreaterThanOrEqualTo(CborCodec.encodeRequest(request).length);
  }

  @Test
  void requestSizeBound_pojoNode_unbounded() {
    WireRequest request = WireRequest.of("put");
    request.args().putPOJO("value", new Object());

    assertThat(CborCodec.requestSizeBound(request)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void encodeResult_null_emptyMapEachTimeFresh() {
    byte[] first = CborCodec.encodeResult(null);
    first[0] = 0;

    assertThat(CborCodec.decodeReply(wrap(CborCodec.encodeResult(null))))
        .isEqualTo(new WireReply.Result(null));
  }

  @Test
  void decodeReply_emptyMap_noResult() {
    assertThat(CborCodec.decodeReply(hex("a0"))).isEqualTo(new WireReply.Result(null));
  }

  @Test
  void decodeReply_nullResult_nullNodeNotNoResult() {
    WireReply reply = CborCodec.decodeReply(wrap(CborCodec.encodeResult(F.nullNode())));

    assertThat(reply).isEqualTo(new WireReply.Result(F.nullNode()));
  }

  @Test
  void decodeReply_failure_codeAndMessage() {
    WireReply reply = CborCodec.decodeReply(wrap(CborCodec.encodeFailure("NOPE", "why")));

    assertThat(reply).isEqualTo(new WireReply.Failure("NOPE", "why"));
    assertThat(((WireReply.Failure) reply).toException().code()).isEqualTo("NOPE");
  }

  @Test
  void decodeReply_failureWithoutMessage_codecException() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeReply(wrap(cbor(F.objectNode().put("e", "X")))))
        .withMessageContaining("error reply");
  }

  @Test
  void decodeReply_failureCodeNotText_codecException() throws Exception {
    JsonNode bad = F.objectNode().put("e", 1).put("m", "x");

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeReply(wrap(cbor(bad))))
        .withMessageContaining("error reply");
  }

  @Test
  void decodeReply_unknownKey_codecExceptionNamingIt() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeReply(wrap(cbor(F.objectNode().put("x", 1)))))
        .withMessageContaining("'x'");
  }

  @Test
  void decodeReply_resultAndMore_codecException() throws Exception {
    JsonNode bad = F.objectNode().put("r", 1).put("x", 2);

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeReply(wrap(cbor(bad))));
  }

  @Test
  void decodeReply_notMap_codecException() throws Exception {
    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.decodeReply(wrap(cbor(F.textNode("r")))))
        .withMessageContaining("must be a CBOR map");
  }
}
