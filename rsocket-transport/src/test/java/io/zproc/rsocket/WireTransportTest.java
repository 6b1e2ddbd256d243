package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The transport contract, in the style of rsocket-java's {@code TransportTest}: every path a client
 * can take to a server ({@code tcp}, {@code unix}, {@code ws}, {@code local}, the in-JVM {@code
 * direct} path and the unix-socket shortcut to a {@code tcp} server) implements this interface and
 * so passes the same tests. Each test gets a fresh server (frame limit {@value #FRAME_LIMIT} bytes)
 * and client from {@link #pair()}.
 */
interface WireTransportTest {
  JsonNodeFactory F = JsonNodeFactory.instance;

  /** The servers' frame limit in these tests. */
  int FRAME_LIMIT = 64 * 1024;

  /** The name clients give at setup. */
  String CLIENT_NAME = "transport-test";

  /** The server options every implementation binds with. */
  static WireServerOptions serverOptions() {
    return WireServerOptions.defaults().withMaxFrameSize(FRAME_LIMIT);
  }

  /** The client options implementations start from. */
  static WireClientOptions clientOptions() {
    return WireClientOptions.defaults()
        .withClientName(CLIENT_NAME)
        .withConnectTimeout(Duration.ofSeconds(5));
  }

  /** This test's server and client, made when the test instance is. */
  WirePair pair();

  /** What {@link WireClient#transport()} must say for this path. */
  String expectedTransport();

  @AfterEach
  default void closePair() {
    pair().close();
  }

  private static Consumer<Throwable> wireError(String code, String... messageParts) {
    return error -> {
      assertThat(error).isInstanceOf(WireException.class);
      assertThat(((WireException) error).code()).isEqualTo(code);
      for (String part : messageParts) {
        assertThat(error).hasMessageContaining(part);
      }
    };
  }

  @Test
  default void connect_thisPath_takesTheExpectedTransport() {
    assertThat(pair().client.transport()).isEqualTo(expectedTransport());
    assertThat(pair().service.connections)
        .singleElement()
        .satisfies(
            connection -> {
              assertThat(connection.transport()).isEqualTo(expectedTransport());
              assertThat(connection.clientName()).isEqualTo(CLIENT_NAME);
            });
  }

  @Test
  default void connect_thisPath_learnsTheServersFrameLimit() {
    assertThat(pair().client.serverMaxFrameSize()).isEqualTo(FRAME_LIMIT);
    assertThat(pair().client.address()).isEqualTo(pair().server.address());
  }

  @Test
  default void request_tree_sameTreeBack() {
    ObjectNode tree = F.objectNode().put("name", "zproc").put("big", 1L << 40).put("pi", 3.25);
    tree.putArray("list").add(1).add("two").addNull().add(false).addObject().put("deep", true);
    tree.putNull("nothing");

    pair()
        .client
        .request(TestService.echo(tree))
        .as(StepVerifier::create)
        .expectNext(tree)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void request_emptyResult_completesEmpty() {
    pair()
        .client
        .request(TestService.request("empty"))
        .as(StepVerifier::create)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void request_wireExceptionWithCode_sameCodeAndMessage() {
    pair()
        .client
        .request(TestService.fail("NOT_FOUND", "no key 'k'; put it first"))
        .as(StepVerifier::create)
        .expectErrorSatisfies(wireError("NOT_FOUND", "no key 'k'; put it first"))
        .verify(TIMEOUT);
  }

  @Test
  default void request_otherErrorSignal_internal() {
    pair()
        .client
        .request(TestService.request("crash"))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            wireError(WireException.INTERNAL, "IllegalStateException", "crashed on purpose"))
        .verify(TIMEOUT);
  }

  @Test
  default void request_exceptionThrownBySession_internal() {
    pair()
        .client
        .request(TestService.request("throw"))
        .as(StepVerifier::create)
        .expectErrorSatisfies(wireError(WireException.INTERNAL, "thrown on purpose"))
        .verify(TIMEOUT);
  }

  @Test
  default void request_afterAnError_connectionStillServes() {
    pair()
        .client
        .request(TestService.request("crash"))
        .onErrorResume(e -> pair().client.request(TestService.echo(7)))
        .as(StepVerifier::create)
        .expectNext(F.objectNode().put("i", 7))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void request_manyConcurrent_eachGetsItsOwnReply() {
    int count = 500;
    Flux.range(0, count)
        .flatMap(
            i ->
                pair()
                    .client
                    .request(TestService.echo(i))
                    .subscribeOn(Schedulers.parallel())
                    .map(reply -> reply.get("i").intValue() - i),
            128)
        .collectList()
        .as(StepVerifier::create)
        .assertNext(differences -> assertThat(differences).hasSize(count).containsOnly(0))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void request_justUnderTheFrameLimit_served() {
    String text = "x".repeat(FRAME_LIMIT - 100);

    pair()
        .client
        .request(TestService.echo(text))
        .map(reply -> reply.get("text").textValue().length())
        .as(StepVerifier::create)
        .expectNext(text.length())
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void request_overTheFrameLimit_limitExceededNamingTheLimit() {
    pair()
        .client
        .request(TestService.echo("x".repeat(100 * 1024)))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            wireError(WireException.LIMIT_EXCEEDED, String.valueOf(FRAME_LIMIT), "maxFrameSize"))
        .verify(TIMEOUT);

    pair()
        .client
        .request(TestService.echo(1))
        .as(StepVerifier::create)
        .expectNextCount(1)
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void stream_demand_serverProducesOnlyWhatWasRequested() {
    TestService service = pair().service;

    pair().client.stream(TestService.count(-1))
        .map(JsonNode::longValue)
        .as(flux -> StepVerifier.create(flux, 0))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(3)
        .expectNext(0L, 1L, 2L)
        .expectNoEvent(Duration.ofMillis(200))
        .thenRequest(2)
        .expectNext(3L, 4L)
        .expectNoEvent(Duration.ofMillis(100))
        .thenCancel()
        .verify(TIMEOUT);

    await().atMost(TIMEOUT).until(() -> service.cancelledStreams.get() == 1);
    assertThat(service.streamed).hasValue(5);
  }

  @Test
  default void stream_bounded_allElementsThenComplete() {
    pair().client.stream(TestService.count(200))
        .map(JsonNode::intValue)
        .collectList()
        .as(StepVerifier::create)
        .expectNext(IntStream.range(0, 200).boxed().collect(Collectors.toList()))
        .expectComplete()
        .verify(TIMEOUT);
  }

  @Test
  default void stream_wireExceptionAfterElements_elementsThenSameCode() {
    pair().client.stream(TestService.failAfter(2, "GONE"))
        .map(JsonNode::intValue)
        .as(StepVerifier::create)
        .expectNext(0, 1)
        .expectErrorSatisfies(wireError("GONE", "failed on purpose"))
        .verify(TIMEOUT);
  }

  @Test
  default void stream_requestOnlyOperation_unknownOperation() {
    pair().client.stream(TestService.echo(1))
        .as(StepVerifier::create)
        .expectErrorSatisfies(wireError(WireException.UNKNOWN_OPERATION, "'echo'"))
        .verify(TIMEOUT);
  }

  @Test
  default void stream_cancelledByTake_serverStreamCancelled() {
    pair().client.stream(TestService.count(-1))
        .take(3, true)
        .as(StepVerifier::create)
        .expectNextCount(3)
        .expectComplete()
        .verify(TIMEOUT);

    await().atMost(TIMEOUT).until(() -> pair().service.cancelledStreams.get() == 1);
  }

  @Test
  default void dispose_server_clientClosesAndRequestsFailConnectionClosed() {
    WirePair pair = pair();

    pair.server.dispose();

    pair.client.onClose().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    pair.client
        .request(TestService.echo(1))
        .as(StepVerifier::create)
        .expectErrorSatisfies(wireError(WireException.CONNECTION_CLOSED))
        .verify(TIMEOUT);
    await().atMost(TIMEOUT).until(() -> pair.service.closedSessions.get() == 1);
  }

  @Test
  default void dispose_serverDuringStream_streamFailsConnectionClosed() {
    WirePair pair = pair();

    pair.client.stream(TestService.count(-1))
        .as(flux -> StepVerifier.create(flux, 1))
        .expectNextCount(1)
        .then(pair.server::dispose)
        .expectErrorSatisfies(wireError(WireException.CONNECTION_CLOSED))
        .verify(TIMEOUT);
  }

  @Test
  default void dispose_client_serverSessionClosed() {
    WirePair pair = pair();

    pair.client.dispose();

    pair.client.onClose().as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    assertThat(pair.client.isDisposed()).isTrue();
    await().atMost(TIMEOUT).until(() -> pair.service.closedSessions.get() == 1);
    pair.client
        .request(TestService.echo(1))
        .as(StepVerifier::create)
        .expectErrorSatisfies(wireError(WireException.CONNECTION_CLOSED))
        .verify(TIMEOUT);
  }

  @Test
  default void connect_secondClient_ownSessionSameServer() {
    WireClient second = pair().connect(clientOptionsOfThisPath());
    try {
      second
          .request(TestService.echo(2))
          .as(StepVerifier::create)
          .expectNext(F.objectNode().put("i", 2))
          .expectComplete()
          .verify(TIMEOUT);
      assertThat(second.transport()).isEqualTo(expectedTransport());
      assertThat(pair().service.connections).hasSize(2);
      assertThat(pair().service.connections.get(0).id())
          .isNotEqualTo(pair().service.connections.get(1).id());
    } finally {
      second.dispose();
    }
  }

  /** The client options this path was connected with. */
  WireClientOptions clientOptionsOfThisPath();
}
