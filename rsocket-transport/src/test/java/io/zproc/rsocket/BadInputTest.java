package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.connect.Wire;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Nothing a peer sends closes the server or another connection: garbage on the socket, requests
 * that are not CBOR or have no {@code op}, and payloads over the frame limit all get an error (a
 * reply where there is a request to answer) and the server, and the connection where it still makes
 * sense, live on.
 */
class BadInputTest {
  private static final int FRAME_LIMIT = 64 * 1024;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static TestService service;
  private static WireServer server;
  private RSocket raw;

  @BeforeAll
  static void bind() {
    service = new TestService();
    server =
        Wire.bind(
                "tcp://127.0.0.1:0",
                WireServerOptions.defaults().withMaxFrameSize(FRAME_LIMIT),
                service)
            .block(TIMEOUT);
  }

  @AfterAll
  static void dispose() {
    WirePair.dispose(server);
  }

  @AfterEach
  void disposeRaw() {
    if (raw != null) {
      raw.dispose();
    }
  }

  private static WireClientOptions tcpOnly() {
    return WireClientOptions.defaults().withDirect(false).withLocalSocket(false);
  }

  /** A well-behaved client gets a round trip, on a connection of its own. */
  private static void assertServed(WireClientOptions options) {
    WirePair.assertServed(server.address().toString(), options, "still here");
  }

  /** A raw RSocket client: no pre-checks, no codec, any payload. */
  private static RSocket rawClient(byte[] setup) {
    return RSocketConnector.create()
        .setupPayload(DefaultPayload.create(setup))
        .connect(TcpClientTransport.create("127.0.0.1", server.address().port()))
        .block(TIMEOUT);
  }

  private static WireReply decodeReleasing(Payload payload) {
    try {
      return CborCodec.decodeReply(payload.sliceData());
    } finally {
      payload.release();
    }
  }

  private static Consumer<WireReply> failure(String code, String... messageParts) {
    return reply -> {
      assertThat(reply).isInstanceOf(WireReply.Failure.class);
      WireReply.Failure failure = (WireReply.Failure) reply;
      assertThat(failure.code()).isEqualTo(code);
      for (String part : messageParts) {
        assertThat(failure.message()).contains(part);
      }
    };
  }

  private void assertRawConnectionServes() {
    raw.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(TestService.echo(9))))
        .map(BadInputTest::decodeReleasing)
        .as(StepVerifier::create)
        .expectNext(new WireReply.Result(F.objectNode().put("i", 9)))
        .expectComplete()
        .verify(TIMEOUT);
  }

  private static byte[] garbage(String kind) {
    switch (kind) {
      case "random":
        {
          byte[] bytes = new byte[4096];
          new Random(42).nextBytes(bytes);
          return bytes;
        }
      case "huge-length":
        // a frame length of 16 MiB - 1, then a few bytes: the server waits for the rest
        return HexFormat.of().parseHex("ffffff0000000000");
      case "unknown-frame":
        // a complete 6-byte frame on stream 0 with the reserved frame type 0x3f
        return HexFormat.of().parseHex("000006" + "00000000" + "fc00");
      case "http":
        return "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "huge-length", "unknown-frame", "http"})
  void garbage_onTheTcpPort_serverServesOthers(String kind) throws IOException {
    int sessions = service.connections.size();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.address().port()), 5000);
      socket.setSoTimeout(300);
      OutputStream out = socket.getOutputStream();
      out.write(garbage(kind));
      out.flush();
      drainBriefly(socket.getInputStream());

      assertServed(tcpOnly());
    }
    assertServed(tcpOnly());
    assertThat(service.connections).hasSize(sessions + 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"random", "huge-length", "unknown-frame"})
  void garbage_onTheLocalSocket_serverServesOthers(String kind) throws IOException {
    assertThat(server.localSocket()).as("the unix socket beside the tcp port").isNotNull();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(server.localSocket()));
      channel.write(ByteBuffer.wrap(garbage(kind)));

      assertServed(WireClientOptions.defaults().withDirect(false));
    }
  }

  /** Reads what the server answers until it closes or goes quiet for the socket timeout. */
  private static void drainBriefly(InputStream in) throws IOException {
    byte[] buffer = new byte[1024];
    try {
      while (in.read(buffer) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException | SocketException quietOrReset) {
      // the server did not close it: fine, the test closes it
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "68656c6c6f", // "hello" as bytes: a text header, then too few bytes
        "ff", // a break outside an indefinite item
        "a0", // {}: no op
        "a1626f7003", // {"op": 3}
        "8161", // ["a"...] truncated
        "83010203", // [1, 2, 3]: not a map
        "a1626f706161" + "00", // {"op": "a"} then a trailing item
      })
  void requestResponse_notAWireRequest_badRequestAndTheConnectionServes(String hex) {
    raw = rawClient(new byte[0]);

    raw.requestResponse(DefaultPayload.create(HexFormat.of().parseHex(hex)))
        .map(BadInputTest::decodeReleasing)
        .as(StepVerifier::create)
        .assertNext(failure(WireException.BAD_REQUEST))
        .expectComplete()
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void requestStream_notAWireRequest_badRequestErrorAndTheConnectionServes() {
    raw = rawClient(new byte[0]);

    raw.requestStream(DefaultPayload.create(new byte[] {(byte) 0xff}))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(ApplicationErrorException.class)
                    .hasMessageStartingWith("[" + WireException.BAD_REQUEST + "]"))
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void fireAndForgetAndChannel_unsupported_connectionServes() {
    raw = rawClient(new byte[0]);

    raw.fireAndForget(DefaultPayload.create(new byte[] {1, 2, 3}))
        .as(StepVerifier::create)
        .expectComplete()
        .verify(TIMEOUT);
    raw.requestChannel(Flux.just(DefaultPayload.create(new byte[] {1})))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .hasMessageStartingWith("[" + WireException.UNKNOWN_OPERATION + "]"))
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void requestResponse_rawPayloadOverTheFrameLimit_limitExceededNamingTheLimit() {
    raw = rawClient(new byte[0]);
    byte[] big = CborCodec.encodeRequest(TestService.echo("y".repeat(100 * 1024)));

    raw.requestResponse(DefaultPayload.create(big))
        .map(BadInputTest::decodeReleasing)
        .as(StepVerifier::create)
        .assertNext(
            failure(WireException.LIMIT_EXCEEDED, String.valueOf(FRAME_LIMIT), "maxFrameSize"))
        .expectComplete()
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void requestResponse_rawPayloadFarOverTheFrameLimit_errorAndTheServerServes() {
    raw = rawClient(new byte[0]);
    ByteBuf big = Unpooled.wrappedBuffer(new byte[4 * FRAME_LIMIT]);

    raw.requestResponse(DefaultPayload.create(big))
        .map(BadInputTest::decodeReleasing)
        .as(StepVerifier::create)
        .assertNext(failure(WireException.LIMIT_EXCEEDED, String.valueOf(FRAME_LIMIT)))
        .expectComplete()
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void requestResponse_fragmentsReassemblingOverTheLimit_limitExceededAndTheConnectionServes() {
    raw =
        RSocketConnector.create()
            .fragment(16 * 1024)
            .connect(TcpClientTransport.create("127.0.0.1", server.address().port()))
            .block(TIMEOUT);
    byte[] big = CborCodec.encodeRequest(TestService.echo("z".repeat(8 * FRAME_LIMIT)));

    raw.requestResponse(DefaultPayload.create(big))
        .map(BadInputTest::decodeReleasing)
        .as(StepVerifier::create)
        .assertNext(failure(WireException.LIMIT_EXCEEDED, String.valueOf(FRAME_LIMIT)))
        .expectComplete()
        .verify(TIMEOUT);

    assertRawConnectionServes();
  }

  @Test
  void connect_malformedSetupPayload_refusedAndTheServerServes() {
    raw = rawClient(new byte[] {(byte) 0xff, 0x00});

    raw.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(TestService.echo(1))))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            error ->
                assertThat(error)
                    .isInstanceOf(RejectedSetupException.class)
                    .hasMessageContaining("malformed setup"))
        .verify(TIMEOUT);

    assertServed(tcpOnly());
  }

  @Test
  void request_unpairedSurrogate_invalidArgumentAndTheConnectionServes() {
    WireClient client = Wire.connect(server.address().toString(), tcpOnly()).block(TIMEOUT);
    try {
      client
          .request(TestService.echo("broken \uD800 text"))
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              error -> {
                assertThat(error).isInstanceOf(WireException.class);
                assertThat(((WireException) error).code())
                    .isEqualTo(WireException.INVALID_ARGUMENT);
                assertThat(error).hasMessageContaining("surrogate");
              })
          .verify(TIMEOUT);
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

  @Test
  void request_opAddedToArgsAfterCreation_invalidArgumentNotAnotherOperation() {
    WireClient client = Wire.connect(server.address().toString(), tcpOnly()).block(TIMEOUT);
    try {
      WireRequest request = TestService.echo(1);
      request.args().put("op", "throw");

      client
          .request(request)
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              error -> {
                assertThat(error).isInstanceOf(WireException.class);
                assertThat(((WireException) error).code())
                    .isEqualTo(WireException.INVALID_ARGUMENT);
                assertThat(error).hasMessageContaining("'op' entry");
              })
          .verify(TIMEOUT);
    } finally {
      client.dispose();
    }
  }
}
