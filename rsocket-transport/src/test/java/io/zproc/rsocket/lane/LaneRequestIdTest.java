package io.zproc.rsocket.lane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.Setup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A lane request id reused while the first request with it is pending: the second gets an error and
 * the first stays cancellable (it used to be overwritten and its server wait leaked).
 */
class LaneRequestIdTest {

  @Test
  void aReusedPendingId_isRefused_theFirstRequestStillCancels() {
    AtomicInteger delaysStarted = new AtomicInteger();
    AtomicInteger cancelledRequests = new AtomicInteger();
    // Every request waits a minute: a pending request the client could cancel.
    WireSession slowSession =
        request -> {
          delaysStarted.incrementAndGet();
          return Mono.delay(Duration.ofMinutes(1))
              .doOnCancel(cancelledRequests::incrementAndGet)
              .thenReturn((JsonNode) request.args());
        };
    EmbeddedChannel channel =
        new EmbeddedChannel(new LaneHandler((setup, close) -> slowSession, 1 << 20, null));
    try {
      channel.writeInbound(frame(0, new Setup(null, "t", -1).encode()));
      release(channel.readOutbound()); // the setup's answer

      byte[] slow = CborCodec.encodeRequest(WireRequest.of("delay"));
      channel.writeInbound(frame(7, slow));
      channel.writeInbound(frame(7, slow));
      channel.flushOutbound();
      ByteBuf reply = channel.readOutbound();
      try {
        reply.readInt(); // length
        assertThat(reply.readInt()).isEqualTo(7);
        WireReply decoded = CborCodec.decodeReply(reply);
        assertThat(decoded).isInstanceOf(WireReply.Failure.class);
        assertThat(((WireReply.Failure) decoded).message()).contains("already in use");
      } finally {
        reply.release();
      }
      assertThat(delaysStarted.get()).isEqualTo(1);

      channel.writeInbound(frame(-7, new byte[0])); // cancels the first
      assertThat(cancelledRequests.get()).isEqualTo(1);
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  private static ByteBuf frame(int id, byte[] body) {
    ByteBuf frame = Unpooled.buffer(4 + body.length);
    frame.writeInt(id);
    frame.writeBytes(body);
    return frame;
  }

  private static void release(Object msg) {
    if (msg instanceof ByteBuf) {
      ((ByteBuf) msg).release();
    }
  }
}
