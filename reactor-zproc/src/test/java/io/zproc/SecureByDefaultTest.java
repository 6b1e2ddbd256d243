package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.SocketFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * {@code ZProc.start()} is keyed by default: a plain RSocket client with no key used to have its
 * requests answered. The same OS user connects by address alone (the connection file); children get
 * the key over stdin; an explicit key still wins.
 */
class SecureByDefaultTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void start_refusesAClientWithoutTheKey_theSameUserConnectsByAddress() throws Exception {
    Path file;
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      int port = WireAddress.parse(ctx.address()).port();
      file = SocketFiles.connectionFile(port);
      assertThat(file).exists();
      assertThat(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));

      // a raw RSocket client without a key: the setup is refused, on its first request
      RSocket raw =
          RSocketConnector.create()
              .connect(TcpClientTransport.create("127.0.0.1", port))
              .block(WAIT);
      try {
        raw.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(WireRequest.of("ping"))))
            .as(StepVerifier::create)
            .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("secret key"))
            .verify(WAIT);
      } finally {
        raw.dispose();
      }

      // a wrong key is refused
      assertThatThrownBy(
              () ->
                  ZProc.connect(
                          ctx.address(),
                          ZProcOptions.defaults().secretKey("wrong").directPath(false))
                      .close())
          .isInstanceOf(ZProcException.class)
          .hasMessageContaining("wrong secret key");

      // the same user, by address alone, over a socket and directly
      for (boolean direct : new boolean[] {false, true}) {
        try (ZProc same =
            ZProc.connect(ctx.address(), ZProcOptions.defaults().directPath(direct))) {
          same.state().put("k" + direct, 1).block(WAIT);
        }
      }
      // children and processMap workers get the key over stdin
      assertThat(ctx.process(s -> s.size().block()).result().block(WAIT)).isEqualTo(2);
    }
    assertThat(file).as("the connection file is deleted on close").doesNotExist();
  }

  @Test
  void anExplicitKeyWins() {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().secretKey("mine").spareProcesses(0));
        ZProc other =
            ZProc.connect(
                ctx.address(), ZProcOptions.defaults().secretKey("mine").directPath(false))) {
      other.state().put("x", 1).block(WAIT);
      assertThat(ctx.state().get("x").block(WAIT)).isEqualTo(1);
    }
  }
}
