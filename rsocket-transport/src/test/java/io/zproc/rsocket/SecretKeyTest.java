package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.connect.Wire;
import io.zproc.rsocket.internal.Setup;
import io.zproc.rsocket.testing.Floods;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;

/**
 * The secret key is checked at setup on every path to a {@code tcp://} server: real TCP, the unix
 * shortcut and the in-JVM direct path. A refused key fails {@code connect()} at once (well within
 * the connect timeout) with {@link WireException#UNAUTHORIZED}.
 */
class SecretKeyTest {
  private static final String KEY = "s3cret-\u00e9-key";

  /** Long enough that a refusal that only surfaced as a timeout would fail the tests. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  /** A refusal must be much quicker than the connect timeout. */
  private static final Duration QUICKLY = Duration.ofSeconds(5);

  private static TestService service;
  private static WireServer server;

  @BeforeAll
  static void bind() {
    service = new TestService();
    server =
        Wire.bind("tcp://127.0.0.1:0", WireServerOptions.defaults().withSecretKey(KEY), service)
            .block(TIMEOUT);
  }

  @AfterAll
  static void dispose() {
    WirePair.dispose(server);
  }

  static Stream<Arguments> paths() {
    WireClientOptions base = WireClientOptions.defaults().withConnectTimeout(CONNECT_TIMEOUT);
    return Stream.of(
        Arguments.of(Named.of("tcp", base.withDirect(false).withLocalSocket(false)), "tcp"),
        Arguments.of(Named.of("unix shortcut", base.withDirect(false)), "unix"),
        Arguments.of(Named.of("direct", base), "direct"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void connect_rightKey_served(WireClientOptions options, String transport) {
    WireClient client =
        Wire.connect(server.address().toString(), options.withSecretKey(KEY)).block(TIMEOUT);
    try {
      assertThat(client.transport()).isEqualTo(transport);
      client
          .request(TestService.echo(1))
          .as(StepVerifier::create)
          .expectNextCount(1)
          .expectComplete()
          .verify(TIMEOUT);
    } finally {
      client.dispose();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void connect_wrongKey_unauthorizedQuickly(WireClientOptions options, String transport) {
    int sessions = service.connections.size();

    Wire.connect(server.address().toString(), options.withSecretKey(KEY + "x"))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error -> {
              assertThat(error).isInstanceOf(WireException.class);
              assertThat(((WireException) error).code()).isEqualTo(WireException.UNAUTHORIZED);
              assertThat(error).hasMessageContaining("wrong secret key");
            })
        .verify(QUICKLY);
    assertThat(service.connections).hasSize(sessions);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void connect_noKey_unauthorizedQuicklySayingOneIsRequired(
      WireClientOptions options, String transport) {
    Wire.connect(server.address().toString(), options.withSecretKey(null))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error -> {
              assertThat(error).isInstanceOf(WireException.class);
              assertThat(((WireException) error).code()).isEqualTo(WireException.UNAUTHORIZED);
              assertThat(error).hasMessageContaining("no secret key was given");
            })
        .verify(QUICKLY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("paths")
  void connect_keyWithSamePrefix_unauthorized(WireClientOptions options, String transport) {
    Wire.connect(server.address().toString(), options.withSecretKey(KEY.substring(0, 3)))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(((WireException) error).code()).isEqualTo(WireException.UNAUTHORIZED))
        .verify(QUICKLY);
  }

  /**
   * One unauthenticated 15 MiB setup (a CBOR array of empty maps) used to be decoded into a tree of
   * about 1.3 GB before the key was checked. It is refused unread, and the server serves on.
   */
  @Test
  void hugeSetup_refusedBeforeDecoding_serverServesOn() {
    byte[] flood = Floods.emptyMaps(15 << 20);
    RSocket raw =
        RSocketConnector.create()
            .setupPayload(DefaultPayload.create(flood))
            .connect(TcpClientTransport.create("127.0.0.1", server.address().port()))
            .block(TIMEOUT);
    try {
      // a rejected setup shows on the first request
      raw.requestResponse(DefaultPayload.create(new byte[] {1}))
          .as(StepVerifier::create)
          .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("over the limit"))
          .verify(QUICKLY);
    } finally {
      raw.dispose();
    }
    WirePair.assertServed(
        server.address().toString(),
        WireClientOptions.defaults().withDirect(false).withLocalSocket(false).withSecretKey(KEY),
        "still here");
  }

  /**
   * A client with the key sends one request under the frame limit whose tree would be huge (15 MiB
   * of empty maps, about 1.5 GB of nodes): it is refused while decoding, and that connection and
   * the others are served on.
   */
  @Test
  void hugeTreeRequest_refusedWhileDecoding_connectionServesOn() {
    RSocket raw =
        RSocketConnector.create()
            .setupPayload(DefaultPayload.create(new Setup(KEY, "flooder", -1).encode()))
            .fragment(1 << 20)
            .connect(TcpClientTransport.create("127.0.0.1", server.address().port()))
            .block(TIMEOUT);
    try {
      raw.requestResponse(DefaultPayload.create(Floods.emptyMapsRequest("echo", (15 << 20) - 64)))
          .map(
              payload -> {
                try {
                  return CborCodec.decodeReply(payload.data());
                } finally {
                  payload.release();
                }
              })
          .as(StepVerifier::create)
          .assertNext(
              reply ->
                  assertThat(((WireReply.Failure) reply).toException())
                      .hasMessageContaining("once decoded")
                      .extracting(WireException::code)
                      .isEqualTo(WireException.BAD_REQUEST))
          .expectComplete()
          .verify(TIMEOUT);
      raw.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(TestService.echo(7))))
          .doOnNext(p -> p.release())
          .as(StepVerifier::create)
          .expectNextCount(1)
          .expectComplete()
          .verify(TIMEOUT);
    } finally {
      raw.dispose();
    }
    WirePair.assertServed(
        server.address().toString(),
        WireClientOptions.defaults().withDirect(false).withLocalSocket(false).withSecretKey(KEY),
        "still here");
  }
}
