package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.client.WebsocketClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.client.ClientSeams;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.Setup;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.TcpClient;
import reactor.test.StepVerifier;

/**
 * A peer that asks for an endless stream and never reads costs the server a bounded amount of
 * memory: once its pending output passes {@code maxPendingBytesPerConnection}, the server closes
 * that connection, and serves everyone else all along. Without the bound, rsocket-java would queue
 * the stream's frames for it until the heap ran out.
 */
class SlowReaderTest {
  private static final long LIMIT = 1024 * 1024;

  static Stream<String> schemes() {
    return Stream.of("tcp", "ws");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void requestsEverythingReadsNothing_cutOffWhileOthersAreServed(String scheme) {
    WireServerOptions options =
        WireServerOptions.defaults()
            .withLocalSocket(false)
            .withLimits(
                new WireServerOptions.Limits(
                    LIMIT, WireServerOptions.Limits.DEFAULT_MAX_CONNECTIONS));
    try (WirePair pair =
        WirePair.start(
            scheme + "://127.0.0.1:0",
            options,
            WireClientOptions.defaults().withDirect(false).withLocalSocket(false))) {
      AtomicReference<Channel> channel = new AtomicReference<>();
      RSocket slow =
          RSocketConnector.create()
              .setupPayload(DefaultPayload.create(new Setup(null, "slow reader", -1).encode()))
              .connect(transport(pair.server.address(), channel))
              .block(TIMEOUT);
      Disposable stream = null;
      try {
        // stops reading: the server's socket fills up and stays full
        channel.get().config().setAutoRead(false);
        stream =
            slow.requestStream(
                    DefaultPayload.create(CborCodec.encodeRequest(TestService.blobs(64 * 1024))))
                .subscribe(payload -> payload.release(), e -> {});

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(pair.service.closedSessions.get()).isEqualTo(1));
        assertThat(pair.service.cancelledStreams.get()).isEqualTo(1);
        // the server produced what fits under the limit and in the sockets' buffers, then stopped
        assertThat(pair.service.streamed.get()).isLessThan(1000);

        // everyone else is served
        pair.client
            .request(TestService.echo("still here"))
            .as(StepVerifier::create)
            .expectNextCount(1)
            .expectComplete()
            .verify(TIMEOUT);
        pair.client.stream(TestService.count(1000))
            .count()
            .as(StepVerifier::create)
            .expectNext(1000L)
            .expectComplete()
            .verify(TIMEOUT);
      } finally {
        if (stream != null) {
          stream.dispose();
        }
        slow.dispose();
      }
    }
  }

  static Stream<String> socketAddresses() {
    return Stream.of(
        "tcp://127.0.0.1:0", "ws://127.0.0.1:0", WirePair.unixAddress(), WirePair.localAddress());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("socketAddresses")
  void unboundedSubscriber_serverAskedForBoundedBatches(String address) {
    try (WirePair pair =
        WirePair.start(
            address,
            WireServerOptions.defaults().withLocalSocket(false),
            WireClientOptions.defaults().withDirect(false).withLocalSocket(false))) {
      pair.client.stream(TestService.count(5000))
          .count()
          .as(StepVerifier::create)
          .expectNext(5000L)
          .expectComplete()
          .verify(TIMEOUT);
      // the subscriber asked for everything at once; the server was asked a batch at a time
      assertThat(pair.service.largestRequest.get())
          .isBetween(1L, (long) ClientSeams.STREAM_DEMAND_CAP);
    }
  }

  private static ClientTransport transport(WireAddress address, AtomicReference<Channel> channel) {
    int port = address.port();
    if (address.scheme().equals("ws")) {
      return WebsocketClientTransport.create(
          HttpClient.create()
              .host("127.0.0.1")
              .port(port)
              .doOnChannelInit((observer, ch, remote) -> channel.set(ch)),
          address.path().isEmpty() ? "/" : address.path());
    }
    return TcpClientTransport.create(
        TcpClient.create()
            .host("127.0.0.1")
            .port(port)
            .doOnChannelInit((observer, ch, remote) -> channel.set(ch)));
  }
}
