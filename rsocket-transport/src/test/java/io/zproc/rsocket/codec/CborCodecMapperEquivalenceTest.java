package io.zproc.rsocket.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CborCodec} reads and writes trees with Jackson's streaming API; these properties check
 * that it writes the same bytes and reads the same trees as the {@code CBORMapper} it used before
 * (configured as it was), so the wire format did not change.
 */
class CborCodecMapperEquivalenceTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The codec's mapper before it went streaming: the reference for bytes and trees. */
  private static final CBORMapper REFERENCE =
      CBORMapper.builder(
              CBORFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(CborCodec.MAX_NESTING_DEPTH)
                          .maxStringLength(Integer.MAX_VALUE)
                          .maxNumberLength(10_000)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  @Property(tries = 500)
  void encode_anyTree_sameBytesAsTheMapper(@ForAll("trees") JsonNode tree) throws Exception {
    assertThat(CborCodec.encode(tree)).isEqualTo(REFERENCE.writeValueAsBytes(tree));
  }

  @Property(tries = 500)
  void decode_encodedTree_sameTreeAsTheMapper(@ForAll("trees") JsonNode tree) throws Exception {
    byte[] bytes = REFERENCE.writeValueAsBytes(tree);

    assertSameOutcome(bytes);
  }

  @Property(tries = 3000)
  void decode_randomBytes_sameOutcomeAsTheMapper(@ForAll @Size(max = 60) byte[] junk) {
    assertSameOutcome(junk);
  }

  @Property(tries = 2000)
  void decode_corruptedTree_sameOutcomeAsTheMapper(
      @ForAll("trees") JsonNode tree, @ForAll("corruptions") Function<byte[], byte[]> corrupt)
      throws Exception {
    assertSameOutcome(corrupt.apply(REFERENCE.writeValueAsBytes(tree)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "f97e00", // half-precision NaN
        "fa3fc00000", // 32-bit float 1.5
        "fb3ff8000000000000", // 64-bit float 1.5
        "c4822003", // decimal fraction 3e-1
        "c48201190190", // decimal fraction 400e1: trailing zeros
        "c249010000000000000000", // bignum 2^64
        "c34900ffffffffffffffff", // negative bignum
        "3bffffffffffffffff", // -2^64
        "1bffffffffffffffff", // 2^64 - 1
        "f7", // undefined
        "f0", // simple value 16
        "f820", // simple value 32
        "d82000", // tag 32 on an int
        "5f4101ff", // indefinite byte string
        "9f01ff", // indefinite array
        "bf6161f6ff", // indefinite map with a null
        "a1016161", // integer key
        "a1f401", // false as key
        "a2616101616102", // duplicate key
        "8201", // array missing an element
        "0102", // two data items
        "f6f6", // two nulls
        "a0", // {}
        "f6", // null
      })
  void decode_edgeCase_sameOutcomeAsTheMapper(String hex) {
    assertSameOutcome(HexFormat.of().parseHex(hex));
  }

  @Test
  void encode_pojoNode_writtenByTheMapper() throws Exception {
    ObjectNode tree = F.objectNode();
    tree.putPOJO("when", List.of(1, "two"));
    tree.set("raw", F.pojoNode(Map.of("a", 1)));

    assertThat(CborCodec.encode(tree)).isEqualTo(REFERENCE.writeValueAsBytes(tree));
  }

  @Test
  void encode_nestedDeeperThanTheGeneratorAllows_codecException() {
    ArrayNode deep = F.arrayNode();
    ArrayNode inner = deep;
    for (int i = 0; i < 2_000; i++) {
      inner = inner.addArray();
    }

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> CborCodec.encode(deep))
        .withMessageContaining("cannot encode tree");
  }

  /** The codec decodes to the mapper's tree, or both fail (the codec with a CodecException). */
  private static void assertSameOutcome(byte[] bytes) {
    JsonNode expected;
    try {
      expected = REFERENCE.readTree(bytes);
      if (expected == null || expected.isMissingNode()) {
        expected = null;
      }
    } catch (Exception | StackOverflowError e) {
      expected = null;
    }
    if (expected == null) {
      assertThatExceptionOfType(CodecException.class)
          .as("the mapper fails on %s", HexFormat.of().formatHex(bytes))
          .isThrownBy(() -> CborCodec.decode(bytes));
    } else {
      JsonNode decoded = CborCodec.decode(bytes);
      assertThat(decoded).as("decoding %s", HexFormat.of().formatHex(bytes)).isEqualTo(expected);
      assertThat(decoded.getClass()).isEqualTo(expected.getClass());
    }
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(4);
  }

  @Provide
  Arbitrary<Function<byte[], byte[]>> corruptions() {
    Arbitrary<Function<byte[], byte[]>> flip = Corruptions.flip();
    Arbitrary<Function<byte[], byte[]>> truncate = Corruptions.truncate();
    return Arbitraries.oneOf(flip, truncate);
  }

  private static Arbitrary<JsonNode> tree(int depth) {
    return RandomTrees.tree(depth, leaves(), Arbitraries.strings().ofMaxLength(6));
  }

  private static Arbitrary<JsonNode> leaves() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(F::textNode),
        Arbitraries.strings().withCharRange('\u0000', '\u07ff').ofMaxLength(40).map(F::textNode),
        Arbitraries.integers().map(F::numberNode),
        Arbitraries.longs().map(F::numberNode),
        Arbitraries.shorts().map(F::numberNode),
        Arbitraries.bigIntegers()
            .between(BigInteger.ONE.shiftLeft(70).negate(), BigInteger.ONE.shiftLeft(70))
            .map(F::numberNode),
        Arbitraries.doubles().withStandardSpecialValues().map(F::numberNode),
        Arbitraries.floats().withStandardSpecialValues().map(F::numberNode),
        Arbitraries.bigDecimals()
            .between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
            .ofScale(4)
            .map(F::numberNode),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(20).map(F::binaryNode),
        Arbitraries.of(true, false).map(F::booleanNode),
        Arbitraries.just(F.nullNode()));
  }
}
