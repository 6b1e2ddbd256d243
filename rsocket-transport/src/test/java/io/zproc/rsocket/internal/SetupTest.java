package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.Unpooled;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.testing.Floods;
import org.junit.jupiter.api.Test;

class SetupTest {

  @Test
  void decode_encoded_sameSetup() {
    Setup setup = new Setup("k\u00e9y", "worker-1", 5000);

    assertThat(Setup.decode(Unpooled.wrappedBuffer(setup.encode()))).isEqualTo(setup);
  }

  @Test
  void decode_encodedWithoutKeyOrPort_sameSetup() {
    Setup setup = new Setup(null, "", -1);

    assertThat(Setup.decode(Unpooled.wrappedBuffer(setup.encode()))).isEqualTo(setup);
  }

  @Test
  void decode_empty_noKey() {
    assertThat(Setup.decode(Unpooled.EMPTY_BUFFER)).isEqualTo(new Setup(null, "", -1));
  }

  @Test
  void decode_notAMap_codecException() {
    byte[] list = CborCodec.encode(JsonNodeFactory.instance.arrayNode().add("key"));

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> Setup.decode(Unpooled.wrappedBuffer(list)))
        .withMessageContaining("map");
  }

  @Test
  void decode_overTheLimit_refusedWithoutDecoding() {
    // 15 MiB of empty CBOR maps in one array: ~1.3 GB of nodes, were it decoded
    byte[] flood = Floods.emptyMaps(15 << 20);

    assertThatExceptionOfType(CodecException.class)
        .isThrownBy(() -> Setup.decode(Unpooled.wrappedBuffer(flood)))
        .withMessageContaining("over the limit of " + Setup.MAX_BYTES);
  }

  @Test
  void decode_aLongKeyUnderTheLimit_decoded() {
    Setup setup = new Setup("k".repeat(8_000), "worker", 1);

    assertThat(Setup.decode(Unpooled.wrappedBuffer(setup.encode()))).isEqualTo(setup);
  }

  @Test
  void decode_wrongTypes_ignored() {
    byte[] odd =
        CborCodec.encode(
            JsonNodeFactory.instance.objectNode().put("key", 1).put("name", true).put("port", "x"));

    assertThat(Setup.decode(Unpooled.wrappedBuffer(odd))).isEqualTo(new Setup(null, "", -1));
  }

  @Test
  void checkKey_serverWithoutKey_anyClientPasses() {
    assertThatNoException().isThrownBy(() -> new Setup("whatever", "", -1).checkKey(null));
    assertThatNoException().isThrownBy(() -> new Setup(null, "", -1).checkKey(null));
  }

  @Test
  void checkKey_sameKey_passes() {
    assertThatNoException().isThrownBy(() -> new Setup("s3cret", "", -1).checkKey("s3cret"));
  }

  @Test
  void checkKey_wrongKey_unauthorized() {
    assertThatExceptionOfType(WireException.class)
        .isThrownBy(() -> new Setup("s3cre", "", -1).checkKey("s3cret"))
        .satisfies(e -> assertThat(e.code()).isEqualTo(WireException.UNAUTHORIZED))
        .withMessageContaining("wrong secret key");
  }

  @Test
  void checkKey_noKey_unauthorizedSayingOneIsRequired() {
    assertThatExceptionOfType(WireException.class)
        .isThrownBy(() -> new Setup(null, "", -1).checkKey("s3cret"))
        .satisfies(e -> assertThat(e.code()).isEqualTo(WireException.UNAUTHORIZED))
        .withMessageContaining("no secret key was given");
  }
}
