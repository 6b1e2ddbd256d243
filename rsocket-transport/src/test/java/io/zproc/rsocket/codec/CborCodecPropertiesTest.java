package io.zproc.rsocket.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link CborCodec}: every encoded message decodes to itself, and any bytes at all
 * decode to a message or a {@link CodecException}, never anything else.
 */
class CborCodecPropertiesTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 4;

  /**
   * Direct buffers without leak tracking: at the paranoid level every tracked access records a
   * stack trace, which would make thousands of tries slow. Leak tracking of the decoders' buffer
   * handling is covered by the pooled-buffer property and by the transport tests.
   */
  private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

  @Property(tries = 300)
  void decode_encodedTree_equalsTree(@ForAll("trees") JsonNode tree) {
    assertThat(CborCodec.decode(CborCodec.encode(tree))).isEqualTo(tree);
  }

  @Property(tries = 200)
  void decode_encodedTreeInDirectBuffer_equalsTreeAndLeavesBufferAlone(
      @ForAll("trees") JsonNode tree) {
    byte[] bytes = CborCodec.encode(tree);
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    try {
      assertThat(CborCodec.decode(buffer)).isEqualTo(tree);
      assertThat(buffer.readerIndex()).isZero();
      assertThat(buffer.refCnt()).isOne();
    } finally {
      buffer.release();
    }
  }

  @Property(tries = 300)
  void decodeRequest_encodedRequest_equalsRequest(@ForAll("requests") WireRequest request) {
    WireRequest decoded =
        CborCodec.decodeRequest(Unpooled.wrappedBuffer(CborCodec.encodeRequest(request)));

    assertThat(decoded).isEqualTo(request);
  }

  @Property(tries = 300)
  void decodeReply_encodedReply_equalsReply(@ForAll("replies") WireReply reply) {
    WireReply decoded = CborCodec.decodeReply(Unpooled.wrappedBuffer(CborCodec.encodeReply(reply)));

    assertThat(decoded).isEqualTo(reply);
  }

  @Property(tries = 300)
  void requestSizeBound_anyRequest_atLeastTheEncodedSize(@ForAll("requests") WireRequest request) {
    assertThat(CborCodec.requestSizeBound(request))
        .isGreaterThanOrEqualTo(CborCodec.encodeRequest(request).length);
  }

  @Property(tries = 3000)
  void decoders_randomBytes_valueOrCodecException(@ForAll @Size(max = 80) byte[] junk) {
    assertValueOrCodecException(junk);
  }

  @Property(tries = 2000)
  void decoders_corruptedMessage_valueOrCodecException(
      @ForAll("trees") JsonNode tree, @ForAll("corruptions") Function<byte[], byte[]> corrupt) {
    byte[] valid = CborCodec.encode(F.objectNode().put("op", "put").set("value", tree));

    assertValueOrCodecException(corrupt.apply(valid));
  }

  /** Feeds the bytes to every decoder, on heap and direct buffers; only two outcomes are fine. */
  private static void assertValueOrCodecException(byte[] bytes) {
    List<Function<ByteBuf, Object>> decoders =
        List.of(CborCodec::decode, CborCodec::decodeRequest, CborCodec::decodeReply);
    for (Function<ByteBuf, Object> decoder : decoders) {
      for (boolean direct : new boolean[] {false, true}) {
        ByteBuf buffer =
            direct
                ? UNTRACKED.directBuffer(bytes.length + 1).writeBytes(bytes)
                : Unpooled.wrappedBuffer(bytes);
        try {
          assertThat(decoder.apply(buffer)).isNotNull();
        } catch (CodecException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        } finally {
          buffer.release();
        }
      }
    }
    try {
      assertThat(CborCodec.decode(bytes)).isNotNull();
    } catch (CodecException expected) {
      // fine
    }
  }

  @Provide
  Arbitrary<Function<byte[], byte[]>> corruptions() {
    Arbitrary<Function<byte[], byte[]>> flip = Corruptions.flip();
    Arbitrary<Function<byte[], byte[]>> truncate = Corruptions.truncate();
    Arbitrary<Function<byte[], byte[]>> append =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(9)
            .map(
                tail ->
                    bytes -> {
                      byte[] longer = Arrays.copyOf(bytes, bytes.length + tail.length);
                      System.arraycopy(tail, 0, longer, bytes.length, tail.length);
                      return longer;
                    });
    return Arbitraries.oneOf(flip, truncate, append);
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(MAX_DEPTH);
  }

  @Provide
  Arbitrary<WireRequest> requests() {
    Arbitrary<Map<String, JsonNode>> args =
        Arbitraries.maps(keys().filter(k -> !k.equals("op")), tree(MAX_DEPTH - 1)).ofMaxSize(6);
    return Combinators.combine(strings(), args)
        .as(
            (op, values) -> {
              ObjectNode node = F.objectNode();
              node.setAll(values);
              return new WireRequest(op, node);
            });
  }

  @Provide
  Arbitrary<WireReply> replies() {
    Arbitrary<WireReply> results = tree(MAX_DEPTH).map(WireReply.Result::new);
    Arbitrary<WireReply> none = Arbitraries.just(new WireReply.Result(null));
    Arbitrary<WireReply> failures =
        Combinators.combine(strings(), strings()).as(WireReply.Failure::new);
    return Arbitraries.oneOf(results, none, failures);
  }

  private static Arbitrary<JsonNode> tree(int depth) {
    return RandomTrees.tree(depth, leaves(), keys());
  }

  private static Arbitrary<JsonNode> leaves() {
    Arbitrary<Long> longsOutsideInt =
        Arbitraries.oneOf(
            Arbitraries.longs().between(Long.MIN_VALUE, Integer.MIN_VALUE - 1L),
            Arbitraries.longs().between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE));
    return Arbitraries.oneOf(
        strings().map(F::textNode),
        Arbitraries.integers().map(F::numberNode),
        // A long that fits an int comes back as an int node (5L decodes as 5), as JSON would.
        longsOutsideInt.map(F::numberNode),
        Arbitraries.doubles().withStandardSpecialValues().map(F::numberNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.just(F.nullNode()));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.oneOf(Arbitraries.of("op", "r", "e", "m", "key", ""), strings());
  }

  /**
   * Text as CBOR can carry it: well-formed UTF-16 (an unpaired surrogate cannot be encoded; see
   * {@code CborCodecTest#encode_unpairedSurrogate_codecException}).
   */
  private static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.strings().all().ofMaxLength(12),
            Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(300))
        .filter(text -> StandardCharsets.UTF_8.newEncoder().canEncode(text));
  }
}
