package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zproc.rsocket.client.ClientSeams;
import io.zproc.rsocket.internal.Setup;
import io.zproc.rsocket.lane.LaneClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The lane: the same-host fast path that blocking callers of a {@code tcp://} server's client take
 * beside the unix-socket shortcut. It must give the same results and errors as RSocket, share the
 * connection's session, and never hang a caller.
 */
class LaneTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String KEY = "lane-s3cret";
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false).withSecretKey(KEY);

  private final WirePair pair =
      WirePair.start(
          "tcp://127.0.0.1:0", WireTransportTest.serverOptions().withSecretKey(KEY), CLIENT);

  @AfterEach
  void close() {
    pair.close();
  }

  private LaneClient lane() {
    LaneClient lane = ClientSeams.lane(pair.client);
    assertThat(lane).as("the client's lane").isNotNull();
    return lane;
  }

  @Test
  void block_takesTheLane_sharingTheConnectionsSession() {
    long before = lane().served();

    JsonNode reply = pair.client.request(TestService.echo(7)).block(TIMEOUT);

    assertThat(reply).isEqualTo(F.objectNode().put("i", 7));
    assertThat(lane().served()).isEqualTo(before + 1);
    assertThat(pair.server.laneSocket()).isNotNull();
    assertThat(pair.service.connections)
        .singleElement()
        .satisfies(c -> assertThat(c.transport()).isEqualTo("unix"));
  }

  @Test
  void subscriberThatDoesNotBlock_onACallersThread_takesTheSharedConnection() {
    long before = lane().served();

    pair.client
        .request(TestService.echo(1))
        .as(StepVerifier::create)
        .expectNext(F.objectNode().put("i", 1))
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(lane().served()).isEqualTo(before + 1);
  }

  @Test
  void sharedConnection_cancelReachesTheServer_andDisposeFailsWhatIsInFlight() {
    pair.client.request(TestService.delay(60_000)).subscribe().dispose();
    await().atMost(TIMEOUT).until(() -> pair.service.cancelledRequests.get() == 1);

    pair.client
        .request(TestService.delay(60_000))
        .as(StepVerifier::create)
        .then(pair.client::dispose)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        WireException.class,
                        w -> assertThat(w.code()).isEqualTo(WireException.CONNECTION_CLOSED)))
        .verify(TIMEOUT);
  }

  @Test
  void sharedConnection_manyInFlightFromOneThread_eachGetsItsOwnReply() {
    long before = lane().served();

    List<JsonNode> replies =
        Flux.range(0, 2_000)
            .flatMap(i -> pair.client.request(TestService.echo(i)), 64)
            .collectList()
            .block(TIMEOUT);

    assertThat(replies)
        .hasSize(2_000)
        .extracting(r -> r.get("i").intValue())
        .containsExactlyInAnyOrderElementsOf(Flux.range(0, 2_000).collectList().block(TIMEOUT));
    assertThat(lane().served()).isEqualTo(before + 2_000);
  }

  @Test
  void subscribedOnANonBlockingThread_goesOverRSocket() {
    long before = lane().served();

    JsonNode reply =
        Mono.just(3)
            .publishOn(Schedulers.parallel())
            .flatMap(i -> pair.client.request(TestService.echo(i)))
            .block(TIMEOUT);

    assertThat(reply).isEqualTo(F.objectNode().put("i", 3));
    assertThat(lane().served()).isEqualTo(before);
  }

  @Test
  void blockedFlatMapOfManyRequests_staysConcurrent_monoChainIsSynchronous() {
    long shared = lane().servedShared();

    List<JsonNode> replies =
        Flux.range(0, 20)
            .flatMap(i -> pair.client.request(TestService.echo(i)), 8)
            .collectList()
            .block(TIMEOUT);

    assertThat(replies).hasSize(20);
    assertThat(lane().servedShared()).isEqualTo(shared + 20);
    long before = lane().served();

    JsonNode chained =
        pair.client
            .request(TestService.echo(1))
            .flatMap(first -> pair.client.request(TestService.echo(first.get("i").intValue() + 1)))
            .block(TIMEOUT);

    assertThat(chained).isEqualTo(F.objectNode().put("i", 2));
    assertThat(lane().served()).isEqualTo(before + 2);
    assertThat(lane().servedShared()).isEqualTo(shared + 20);
  }

  @Test
  void errorsAndEmptyResults_sameAsOverRSocket() {
    assertThat(pair.client.request(TestService.request("empty")).block(TIMEOUT)).isNull();
    assertThatThrownBy(
            () -> pair.client.request(TestService.fail("NOPE", "not today")).block(TIMEOUT))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> {
              assertThat(e.code()).isEqualTo("NOPE");
              assertThat(e).hasMessageContaining("not today");
            });
    assertThatThrownBy(() -> pair.client.request(TestService.request("crash")).block(TIMEOUT))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.code()).isEqualTo(WireException.INTERNAL));
    assertThatThrownBy(() -> pair.client.request(TestService.request("throw")).block(TIMEOUT))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.code()).isEqualTo(WireException.INTERNAL));
    assertThatThrownBy(
            () ->
                pair.client
                    .request(TestService.echo("x".repeat(WireTransportTest.FRAME_LIMIT)))
                    .block(TIMEOUT))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e.code()).isEqualTo(WireException.LIMIT_EXCEEDED));
    assertThat(pair.client.request(TestService.echo(2)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 2));
  }

  @Test
  void slowReply_waitMovesOffTheCaller_andBlockTimeoutStillHolds() {
    long before = lane().served();

    assertThat(pair.client.request(TestService.delay(100)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("ms", 100));
    assertThat(lane().served()).isEqualTo(before + 1);

    assertThatThrownBy(
            () -> pair.client.request(TestService.delay(60_000)).block(Duration.ofMillis(200)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Timeout");
    await().atMost(TIMEOUT).until(() -> pair.service.cancelledRequests.get() == 1);
    assertThat(pair.client.request(TestService.echo(4)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 4));
  }

  @Test
  void clientDisposedWhileABlockedCallWaits_callFailsConnectionClosed() throws Exception {
    CompletableFuture<Throwable> failure =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                pair.client.request(TestService.delay(60_000)).block(TIMEOUT);
                return null;
              } catch (Throwable e) {
                return e;
              }
            });
    await().atMost(TIMEOUT).until(() -> pair.service.delaysStarted.get() == 1);

    pair.client.dispose();

    assertThat(failure.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e.code()).isEqualTo(WireException.CONNECTION_CLOSED));
  }

  @Test
  void manySlowRepliesAtOnce_waitOnOneThread_eachGetsItsOwnReply_cancelledOnesEnd()
      throws Exception {
    long cancelledBefore = pair.service.cancelledRequests.get();
    long waitersBefore = laneWaitThreads();
    int callers = 40;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<JsonNode>> done = new ArrayList<>();
      for (int t = 0; t < callers; t++) {
        long ms = 50 + t;
        done.add(pool.submit(() -> pair.client.request(TestService.delay(ms)).block(TIMEOUT)));
      }
      // More slow calls than Reactor's bounded elastic pool has threads: all wait on one thread.
      List<Thread> waiting = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread timedOut =
            new Thread(
                () ->
                    assertThatThrownBy(
                            () ->
                                pair.client
                                    .request(TestService.delay(60_000))
                                    .block(Duration.ofMillis(30)))
                        .hasMessageContaining("Timeout"));
        timedOut.start();
        waiting.add(timedOut);
      }
      for (int t = 0; t < callers; t++) {
        assertThat(done.get(t).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            .isEqualTo(F.objectNode().put("ms", 50 + t));
      }
      for (Thread t : waiting) {
        t.join(TIMEOUT.toMillis());
      }
      await()
          .atMost(TIMEOUT)
          .until(() -> pair.service.cancelledRequests.get() == cancelledBefore + 4);
      assertThat(laneWaitThreads()).isLessThanOrEqualTo(waitersBefore + 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(pair.client.request(TestService.echo(5)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 5));
  }

  @ParameterizedTest(name = "reply after {0} ms")
  @ValueSource(longs = {0, 30})
  void progress_reachesTheCallersConsumer_beforeTheReply(long ms) throws Exception {
    WireRequest request = WireRequest.of("progress");
    request.args().put("ms", ms);
    // A blocked caller (its own connection; after 30 ms, the waiting thread).
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    JsonNode reply =
        pair.client
            .request(new WireRequest(request.op(), request.args(), seen::add))
            .block(TIMEOUT);
    assertThat(reply).isEqualTo(F.objectNode().put("sent", true));
    assertThat(seen).containsExactly(F.objectNode().put("step", 1));
    // A subscriber on a plain thread (the shared connection).
    List<JsonNode> shared = new CopyOnWriteArrayList<>();
    CompletableFuture<JsonNode> async = new CompletableFuture<>();
    pair.client
        .request(new WireRequest(request.op(), request.args(), shared::add))
        .subscribe(async::complete, async::completeExceptionally);
    assertThat(async.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .isEqualTo(F.objectNode().put("sent", true));
    assertThat(shared).containsExactly(F.objectNode().put("step", 1));
    // From a Reactor thread the request goes over RSocket, which has no progress.
    List<JsonNode> none = new CopyOnWriteArrayList<>();
    JsonNode viaRSocket =
        Mono.defer(
                () -> pair.client.request(new WireRequest(request.op(), request.args(), none::add)))
            .subscribeOn(Schedulers.parallel())
            .toFuture()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(viaRSocket).isEqualTo(F.objectNode().put("sent", false));
    assertThat(none).isEmpty();
  }

  @Test
  void aThreadWhoseSharedRequestSentProgress_blocksOnItsOwnConnectionAgain() throws Exception {
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    WireRequest waiting = new WireRequest("progress", F.objectNode().put("ms", 60_000), seen::add);
    long cancelledBefore = pair.service.cancelledRequests.get();
    // A watcher-like request subscribed from this thread goes over the shared connection, and
    // until the server has taken it in, this thread's requests follow it there, in order.
    reactor.core.Disposable watcher = pair.client.request(waiting).subscribe();
    try {
      await().atMost(TIMEOUT).until(() -> seen.size() == 1);
      long direct = lane().served();
      long shared = lane().servedShared();

      assertThat(pair.client.request(TestService.echo(6)).block(TIMEOUT))
          .isEqualTo(F.objectNode().put("i", 6));

      assertThat(lane().served()).as("calls on the caller's own connection").isEqualTo(direct + 1);
      assertThat(lane().servedShared()).as("calls on the shared connection").isEqualTo(shared);
    } finally {
      watcher.dispose();
    }
    await()
        .atMost(TIMEOUT)
        .until(() -> pair.service.cancelledRequests.get() == cancelledBefore + 1);
  }

  @Test
  void theServerRunsLaneRequestsOnItsNonBlockingLaneLoop() {
    long before = lane().served();

    JsonNode where = pair.client.request(WireRequest.of("thread")).block(TIMEOUT);

    assertThat(lane().served()).isEqualTo(before + 1);
    assertThat(where.get("name").asText()).startsWith("zproc-lane-server");
    assertThat(where.get("nonBlocking").asBoolean())
        .as("a lane loop thread is one of Reactor's non-blocking threads")
        .isTrue();
  }

  private static long laneWaitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("zproc-lane-wait-"))
        .count();
  }

  @Test
  void manyBlockingThreads_eachGetsItsOwnReply() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    int value = thread * 1000 + i;
                    JsonNode reply = pair.client.request(TestService.echo(value)).block(TIMEOUT);
                    assertThat(reply).isEqualTo(F.objectNode().put("i", value));
                  }
                  return thread;
                }));
      }
      for (Future<Integer> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(lane().served()).isGreaterThanOrEqualTo(1600);
    assertThat(lane().idle()).isBetween(1, 8);
  }

  @Test
  void serverDisposed_blockingCallFailsConnectionClosed() {
    pair.client.request(TestService.echo(1)).block(TIMEOUT);

    pair.server.dispose();

    assertThatThrownBy(() -> pair.client.request(TestService.echo(1)).block(TIMEOUT))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e.code()).isEqualTo(WireException.CONNECTION_CLOSED));
  }

  @Test
  void clientDisposed_serverSessionClosedOnce() {
    pair.client.request(TestService.echo(1)).block(TIMEOUT);

    pair.client.dispose();

    await().atMost(TIMEOUT).until(() -> pair.service.closedSessions.get() == 1);
    assertThat(lane().idle()).isZero();
  }

  @Test
  void setup_wrongKeyWrongPortOrUnknownConnection_refused() {
    Path path = pair.server.laneSocket();
    int port = pair.server.address().port();
    long id = ClientSeams.connectionId(pair.client);
    WireAddress address = pair.server.address();
    Duration wait = Duration.ofSeconds(5);

    assertThatThrownBy(
            () ->
                LaneClient.open(
                    path, new Setup("wrong", "x", port, id), address, wait, Duration.ZERO))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> {
              assertThat(e.code()).isEqualTo(WireException.UNAUTHORIZED);
              assertThat(e).hasMessageContaining("secret key");
            });
    assertThatThrownBy(
            () ->
                LaneClient.open(
                    path, new Setup(KEY, "x", port + 1, id), address, wait, Duration.ZERO))
        .isInstanceOfSatisfying(
            WireException.class, e -> assertThat(e).hasMessageContaining("tcp port " + port));
    assertThatThrownBy(
            () ->
                LaneClient.open(
                    path, new Setup(KEY, "x", port, id + 1000), address, wait, Duration.ZERO))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e).hasMessageContaining("must join an open connection"));
    assertThatThrownBy(
            () ->
                LaneClient.open(path, new Setup(KEY, "x", port, -1), address, wait, Duration.ZERO))
        .isInstanceOf(WireException.class);
    assertThat(pair.service.connections).hasSize(1);
  }

  @Test
  void laneSocketGone_callsGoOverRSocket() throws IOException {
    java.nio.file.Files.delete(pair.server.laneSocket());

    assertThat(pair.client.request(TestService.echo(1)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 1));
    pair.client
        .request(TestService.echo(2))
        .as(StepVerifier::create)
        .expectNext(F.objectNode().put("i", 2))
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(lane().served()).isZero();
  }

  @Test
  void garbageOnTheLaneSocket_serverLivesOn() throws IOException {
    try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      raw.connect(UnixDomainSocketAddress.of(pair.server.laneSocket()));
      ByteBuffer junk = ByteBuffer.allocate(64);
      junk.putInt(2).put(new byte[] {1, 2}).putInt(0x7fffffff).putLong(42).flip();
      raw.write(junk);
      ByteBuffer answer = ByteBuffer.allocate(64);
      // The server closes a connection that sends a frame without an id.
      assertThat(raw.read(answer)).isEqualTo(-1);
    }
    assertThat(pair.client.request(TestService.echo(5)).block(TIMEOUT))
        .isEqualTo(F.objectNode().put("i", 5));
  }
}
