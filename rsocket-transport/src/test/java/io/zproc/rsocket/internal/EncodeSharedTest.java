package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.rsocket.codec.CborCodec;
import org.junit.jupiter.api.Test;

class EncodeSharedTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void sameInstance_encodedOnce_otherInstancesEncodedAfresh() {
    ObjectNode change = F.objectNode().put("ver", 7).put("o", "writer");
    byte[] first = ServerHandler.encodeShared(change);
    assertThat(ServerHandler.encodeShared(change)).isSameAs(first);
    assertThat(first).isEqualTo(CborCodec.encode(change));

    ObjectNode next = F.objectNode().put("ver", 8).put("o", "writer");
    byte[] second = ServerHandler.encodeShared(next);
    assertThat(second).isNotSameAs(first).isEqualTo(CborCodec.encode(next));
    // An equal but distinct node is encoded again (only identity is trusted).
    ObjectNode equal = next.deepCopy();
    assertThat(ServerHandler.encodeShared(equal)).isNotSameAs(second).isEqualTo(second);
  }
}
