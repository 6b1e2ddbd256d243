package io.zproc.rsocket.codec;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;

/** The codec's one CBOR factory, shared by {@link TreeEncoder} and {@link TreeDecoder}. */
final class Cbor {
  /**
   * Reads and writes the CBOR. Trees are written and read with the streaming API, node by node as
   * Jackson's {@code CBORMapper} would (the same bytes, the same nodes), without its data-binding
   * machinery: a process that only talks to a server (a spare child JVM) then never loads or
   * initializes an {@code ObjectMapper}. See {@link MapperHolder} for the rare nodes that need one.
   */
  static final CBORFactory FACTORY =
      CBORFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(CborCodec.MAX_NESTING_DEPTH)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNumberLength(10_000)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Cbor() {}

  /**
   * The mapper for nodes the streaming writer does not know (a {@code POJONode}, a raw value, a
   * custom node class): created on first use only, since it costs a few MB of classes.
   */
  static final class MapperHolder {
    static final CBORMapper MAPPER =
        CBORMapper.builder(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private MapperHolder() {}
  }
}
