package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.frame.RequestResponseFrameCodec;
import io.rsocket.frame.SetupFrameCodec;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.internal.Setup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A peer that starts many fragmented requests and finishes none would have rsocket-java hold each
 * one's fragments (up to the frame limit apiece): past {@code maxPendingBytesPerConnection} of
 * unfinished fragments, the server closes that connection, and serves the others.
 */
class ReassemblyLimitTest {
  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;
  private static final int FRAGMENT = 256 * 1024;

  @Test
  void manyUnfinishedFragmentedRequests_connectionClosedWithTheReason_othersServed()
      throws IOException {
    WireServerOptions options =
        WireServerOptions.defaults()
            .withLocalSocket(false)
            .withLimits(new WireServerOptions.Limits(2 << 20, 16));
    WireClientOptions client =
        WireClientOptions.defaults().withDirect(false).withLocalSocket(false);
    try (WirePair pair = WirePair.start("tcp://127.0.0.1:0", options, client);
        Socket socket = new Socket("127.0.0.1", pair.server.address().port())) {
      socket.setSoTimeout((int) TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      write(
          out,
          SetupFrameCodec.encode(
              ALLOC,
              false,
              15_000,
              90_000,
              "application/binary",
              "application/binary",
              DefaultPayload.create(new Setup(null, "fragments", -1).encode())));
      byte[] chunk = new byte[FRAGMENT];
      try {
        // 16 requests of which only a first fragment ever comes: 4 MiB, twice the limit
        for (int stream = 1; stream <= 31; stream += 2) {
          write(
              out,
              RequestResponseFrameCodec.encode(
                  ALLOC, stream, true, null, Unpooled.wrappedBuffer(chunk)));
        }
      } catch (SocketException closedWhileWriting) {
        // the server may close before the last ones are written
      }

      String received = readUntilClosed(socket.getInputStream());
      assertThat(received).contains("maxPendingBytesPerConnection").contains("fragmented");
      assertThat(WirePair.assertServed(pair.server.address().toString(), client, "others"))
          .isEqualTo("tcp");
    }
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

  /** Everything the server sent until it closed the connection, as text (the error's reason). */
  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketException reset) {
      // closed with unread input on its side: what came before still counts
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }
}
