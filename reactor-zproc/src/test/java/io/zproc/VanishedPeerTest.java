package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.frame.RequestResponseFrameCodec;
import io.rsocket.frame.RequestStreamFrameCodec;
import io.rsocket.frame.SetupFrameCodec;
import io.rsocket.util.DefaultPayload;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.server.ServerProbe;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.Setup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A peer that vanishes without closing (a host that lost power, a cable pulled: no FIN, nothing
 * more on the wire) holds a watch and the atomic lock. The server drops it when its keep-alive's
 * lifetime passes, which frees both: the next waiter gets the lock, and the watch is gone.
 */
class VanishedPeerTest {
  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
  private static final String NS = "vanished";

  @Test
  void silentPeerHoldingAWatchAndTheLock_droppedAfterItsKeepAliveLifetime() throws IOException {
    ServerOptions options = ServerOptions.defaults().localSocket(false);
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc other =
            ZProc.connect(
                server.address(),
                ZProcOptions.defaults().directPath(false).localSocket(false).spareProcesses(0));
        Socket peer = new Socket("127.0.0.1", WireAddress.parse(server.address()).port())) {
      OutputStream out = peer.getOutputStream();
      // keep-alive every 500 ms, dead after 2 s without one; this peer never sends one
      write(
          out,
          SetupFrameCodec.encode(
              ALLOC,
              false,
              500,
              2000,
              "application/binary",
              "application/binary",
              DefaultPayload.create(new Setup(null, "vanishing", -1).encode())));
      WireRequest watch = WireRequest.of(Op.WATCH.wireName());
      watch.args().put(Fields.NS, NS);
      write(
          out,
          RequestStreamFrameCodec.encode(
              ALLOC, 1, false, Long.MAX_VALUE, null, bytes(CborCodec.encodeRequest(watch))));
      WireRequest begin = WireRequest.of(Op.BEGIN.wireName());
      begin.args().put(Fields.NS, NS);
      write(
          out,
          RequestResponseFrameCodec.encode(
              ALLOC, 3, false, null, bytes(CborCodec.encodeRequest(begin))));
      await().atMost(Duration.ofSeconds(10)).until(() -> ServerProbe.watchCount(server, NS) == 1);
      long start = System.nanoTime();

      // waits behind the vanished peer's lock, and gets it once the peer is dropped
      Object result =
          other
              .state(NS)
              .atomic(s -> s.put("after", "the peer vanished"))
              .block(Duration.ofSeconds(30));

      assertThat(result).isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      await().atMost(Duration.ofSeconds(10)).until(() -> ServerProbe.watchCount(server, NS) == 0);
      assertThat(other.state(NS).get("after").block(Duration.ofSeconds(5)))
          .isEqualTo("the peer vanished");
    }
  }

  private static ByteBuf bytes(byte[] data) {
    return Unpooled.wrappedBuffer(data);
  }

  private static void write(OutputStream out, ByteBuf frame) throws IOException {
    ByteBuf framed = FrameLengthCodec.encode(ALLOC, frame.readableBytes(), frame);
    try {
      out.write(ByteBufUtil.getBytes(framed));
      out.flush();
    } finally {
      framed.release();
    }
  }
}
