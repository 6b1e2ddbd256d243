package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.LaneHandler;
import io.zproc.rsocket.internal.Setup;
import org.junit.jupiter.api.Test;

/**
 * A lane request id reused while the first request with it is pending: the second gets an error and
 * the first stays cancellable (it used to be overwritten and its server wait leaked).
 */
class LaneRequestIdTest {

  @Test
  void aReusedPendingId_isRefused_theFirstRequestStillCancels() {
    TestService service = new TestService();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new LaneHandler(
                (setup, close) -> service.open(new WireConnection(1, "lane", setup.name())),
                1 << 20,
                null));
    try {
      channel.writeInbound(frame(0, new Setup(null, "t", -1).encode()));
      release(channel.readOutbound()); // the setup's answer

      byte[] slow = CborCodec.encodeRequest(TestService.delay(60_000));
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
      assertThat(service.delaysStarted.get()).isEqualTo(1);

      channel.writeInbound(frame(-7, new byte[0])); // cancels the first
      assertThat(service.cancelledRequests.get()).isEqualTo(1);
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
