package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.zproc.rsocket.connect.Wire;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Connecting: path choice, fallbacks, and failures that must be quick and clear. */
class WireClientTest {
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  private static WireClientOptions socketOnly() {
    return WireClientOptions.defaults()
        .withDirect(false)
        .withLocalSocket(false)
        .withConnectTimeout(Duration.ofSeconds(3));
  }

  private static Consumer<Throwable> connectionClosed(String... messageParts) {
    return error -> {
      assertThat(error).isInstanceOf(WireException.class);
      assertThat(((WireException) error).code()).isEqualTo(WireException.CONNECTION_CLOSED);
      for (String part : messageParts) {
        assertThat(error).hasMessageContaining(part);
      }
    };
  }

  private static Path shortcutSocket(int port) {
    return SocketFiles.localSocket(port);
  }

  @Test
  void connect_malformedAddress_illegalArgumentAtOnce() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Wire.connect("zproc://x", WireClientOptions.defaults()))
        .withMessageContaining(WireAddress.ACCEPTED_FORMS);
  }

  @Test
  void connect_notSubscribed_connectsNothing() {
    WirePair pair =
        WirePair.start(WirePair.localAddress(), WireServerOptions.defaults(), socketOnly());
    try {
      Mono<WireClient> connect = Wire.connect(pair.server.address().toString(), socketOnly());

      assertThat(connect).isNotNull();
      assertThat(pair.service.connections).hasSize(1);
    } finally {
      pair.close();
    }
  }

  @Test
  void connect_nothingListeningOnTcp_connectionClosedQuickly() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    Wire.connect("tcp://127.0.0.1:" + port, socketOnly())
        .as(StepVerifier::create)
        .expectErrorSatisfies(connectionClosed("tcp://127.0.0.1:" + port))
        .verify(QUICKLY);
  }

  @Test
  void connect_noSuchUnixSocket_connectionClosedQuickly() {
    String address = WirePair.unixAddress();

    Wire.connect(address, socketOnly())
        .as(StepVerifier::create)
        .expectErrorSatisfies(connectionClosed(address))
        .verify(QUICKLY);
  }

  @Test
  void connect_noSuchLocalServer_connectionClosedQuickly() {
    String address = WirePair.localAddress();

    Wire.connect(address, socketOnly())
        .as(StepVerifier::create)
        .expectErrorSatisfies(connectionClosed(address))
        .verify(QUICKLY);
  }

  @Test
  void connect_serverThatNeverAnswers_timesOutNamingTheTimeout() throws IOException {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      WireClientOptions options = socketOnly().withConnectTimeout(Duration.ofMillis(300));

      Wire.connect("tcp://127.0.0.1:" + silent.getLocalPort(), options)
          .as(StepVerifier::create)
          .expectErrorSatisfies(connectionClosed("300 ms"))
          .verify(QUICKLY);
    }
  }

  @Test
  void connect_staleShortcutSocketFile_fallsBackToTcp() throws IOException {
    WirePair pair =
        WirePair.start(
            "tcp://127.0.0.1:0", WireServerOptions.defaults().withLocalSocket(false), socketOnly());
    Path stale = shortcutSocket(pair.server.address().port());
    Files.writeString(stale, "not a socket");
    try {
      WireClient client =
          pair.connect(WireClientOptions.defaults().withDirect(false).withLocalSocket(true));
      try {
        assertThat(client.transport()).isEqualTo("tcp");
      } finally {
        client.dispose();
      }
    } finally {
      Files.deleteIfExists(stale);
      pair.close();
    }
  }

  @Test
  void connect_shortcutSocketOfAnotherServer_fallsBackToTcp() throws IOException {
    WirePair other =
        WirePair.start("tcp://127.0.0.1:0", WireServerOptions.defaults(), socketOnly());
    WirePair target =
        WirePair.start(
            "tcp://127.0.0.1:0", WireServerOptions.defaults().withLocalSocket(false), socketOnly());
    // The other server's socket, found under the target's port (as after a port reuse).
    Path foreign = shortcutSocket(target.server.address().port());
    Files.move(other.server.localSocket(), foreign);
    try {
      WireClient client =
          target.connect(WireClientOptions.defaults().withDirect(false).withLocalSocket(true));
      try {
        assertThat(client.transport()).isEqualTo("tcp");
        assertThat(target.service.connections).hasSize(2);
        assertThat(other.service.connections).hasSize(1);
      } finally {
        client.dispose();
      }
    } finally {
      Files.deleteIfExists(foreign);
      other.close();
      target.close();
    }
  }

  @Test
  void connect_localSocketOff_tcpEvenWithAShortcut() {
    WirePair pair = WirePair.start("tcp://127.0.0.1:0", WireServerOptions.defaults(), socketOnly());
    try {
      assertThat(pair.server.localSocket()).exists();
      assertThat(pair.client.transport()).isEqualTo("tcp");
    } finally {
      pair.close();
    }
  }

  @Test
  void connect_localhostName_directPathToTheLoopbackServer() {
    WirePair pair = WirePair.start("tcp://127.0.0.1:0", WireServerOptions.defaults(), socketOnly());
    try {
      WireClient client =
          Wire.connect(
                  "tcp://localhost:" + pair.server.address().port(), WireClientOptions.defaults())
              .block(TIMEOUT);
      try {
        assertThat(client.transport()).isEqualTo("direct");
      } finally {
        client.dispose();
      }
    } finally {
      pair.close();
    }
  }

  @Test
  void toString_rsocketClient_namesTransportAndAddress() {
    WirePair pair =
        WirePair.start(WirePair.localAddress(), WireServerOptions.defaults(), socketOnly());
    try {
      assertThat(pair.client.toString())
          .contains("local")
          .contains(pair.server.address().toString());
    } finally {
      pair.close();
    }
  }
}
