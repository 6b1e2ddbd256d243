package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.rsocket.connect.Wire;
import io.zproc.rsocket.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * TLS on {@code tcp://} and {@code ws://}: the server serves a PKCS#12 key store, the client trusts
 * the server's PEM certificate. The self-signed certificate is made by the JDK's {@code keytool}
 * for {@code localhost} and {@code 127.0.0.1}.
 */
class TlsTest {
  private static final String PASSWORD = "changeit";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static Path keyStore;
  private static Path certificate;
  private static TestService service;
  private static WireServer tcpServer;

  @BeforeAll
  static void certificateAndServer() throws Exception {
    keyStore = dir.resolve("server.p12");
    certificate = dir.resolve("server.pem");
    SelfSignedCertificate.make(keyStore, certificate, PASSWORD);
    service = new TestService();
    tcpServer = Wire.bind("tcp://127.0.0.1:0", tlsServerOptions(), service).block(TIMEOUT);
  }

  @AfterAll
  static void dispose() {
    if (tcpServer != null) {
      WirePair.dispose(tcpServer);
    }
  }

  private static WireServerOptions tlsServerOptions() {
    return WireServerOptions.defaults().withTls(keyStore, PASSWORD).withLocalSocket(false);
  }

  private static WireClientOptions socketOnly() {
    return WireClientOptions.defaults()
        .withDirect(false)
        .withLocalSocket(false)
        .withConnectTimeout(CONNECT_TIMEOUT);
  }

  private static String tcpAddress(String host) {
    return "tcp://" + host + ":" + tcpServer.address().port();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1"})
  void connect_tlsClientTrustingTheCertificate_served(String host) {
    assertThat(
            WirePair.assertServed(tcpAddress(host), socketOnly().withTls(certificate), "over tls"))
        .isEqualTo("tcp");
  }

  @Test
  void connect_plainClientToTlsServer_failsWithoutHanging() {
    Wire.connect(tcpAddress("localhost"), socketOnly())
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error -> {
              assertThat(error).isInstanceOf(WireException.class);
              assertThat(((WireException) error).code()).isEqualTo(WireException.CONNECTION_CLOSED);
            })
        .verify(CONNECT_TIMEOUT.multipliedBy(3));
  }

  @Test
  void connect_tlsClientNotTrustingTheCertificate_failsWithoutHanging() {
    // null trust: the JVM's default trust store, which does not hold the self-signed certificate
    Wire.connect(tcpAddress("localhost"), socketOnly().withTls(null))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error -> {
              assertThat(error).isInstanceOf(WireException.class);
              assertThat(((WireException) error).code()).isEqualTo(WireException.CONNECTION_CLOSED);
            })
        .verify(CONNECT_TIMEOUT.multipliedBy(3));
  }

  @Test
  void connect_tlsClientToPlainServer_failsWithoutHanging() {
    WireServer plain =
        Wire.bind("tcp://127.0.0.1:0", WireServerOptions.defaults(), new TestService())
            .block(TIMEOUT);
    try {
      // The plain server reads the TLS hello as the start of a 1.4 MB frame and waits for the
      // rest, so only the connect timeout ends this.
      WireClientOptions options =
          socketOnly().withTls(certificate).withConnectTimeout(Duration.ofSeconds(1));
      Wire.connect(plain.address().toString(), options)
          .as(StepVerifier::create)
          .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(WireException.class))
          .verify(CONNECT_TIMEOUT.multipliedBy(3));
    } finally {
      WirePair.dispose(plain);
    }
  }

  @Test
  void connect_tlsClientToTlsWebsocket_served() {
    WireServer ws =
        Wire.bind("ws://127.0.0.1:0/zproc", tlsServerOptions(), new TestService()).block(TIMEOUT);
    try {
      String address = "ws://localhost:" + ws.address().port() + "/zproc";
      WireClient client = Wire.connect(address, socketOnly().withTls(certificate)).block(TIMEOUT);
      try {
        assertThat(client.transport()).isEqualTo("ws");
        client
            .request(TestService.echo(5))
            .as(StepVerifier::create)
            .expectNextCount(1)
            .expectComplete()
            .verify(TIMEOUT);
      } finally {
        client.dispose();
      }
    } finally {
      WirePair.dispose(ws);
    }
  }

  @Test
  void bind_wrongKeyStorePassword_errorNamingTheKeyStore() {
    WireServerOptions wrong = WireServerOptions.defaults().withTls(keyStore, "wrong");

    Wire.bind("tcp://127.0.0.1:0", wrong, new TestService())
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining(keyStore.toString()))
        .verify(TIMEOUT);
  }

  @Test
  void bind_missingKeyStore_errorNamingTheKeyStore() throws IOException {
    Path missing = dir.resolve("missing.p12");
    Files.deleteIfExists(missing);

    Wire.bind(
            "tcp://127.0.0.1:0",
            WireServerOptions.defaults().withTls(missing, PASSWORD),
            new TestService())
        .as(StepVerifier::create)
        .expectErrorSatisfies(error -> assertThat(error).hasMessageContaining(missing.toString()))
        .verify(TIMEOUT);
  }
}
