package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.client.ContextProbe;
import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.subscriber.TestSubscriber;

/** Watching and atomic changes, run per path by the subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WatchContractTest {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int JOURNAL = 1000;

  protected ZProcServer server;
  protected ZProc writerCtx;
  protected ZProc watcherCtx;
  protected String ns;
  protected State writer;

  /** Options for the watcher's context (direct or through a socket). */
  protected abstract ZProcOptions watcherOptions();

  @BeforeAll
  void startAll() {
    server = ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().journalSize(JOURNAL));
    writerCtx = ZProc.connect(server.address());
    watcherCtx = ZProc.connect(server.address(), watcherOptions());
  }

  @AfterAll
  void stopAll() {
    watcherCtx.close();
    writerCtx.close();
    server.close();
  }

  @BeforeEach
  void fresh(TestInfo info) {
    ns = info.getTestMethod().orElseThrow().getName() + "-" + NAMESPACES.incrementAndGet();
    writer = writerCtx.state(ns);
  }

  /** Waits until the server holds this many watches on the test's namespace. */
  private void awaitWatches(int count) {
    await().atMost(WAIT).until(() -> ServerProbe.watchCount(server, ns) == count);
  }

  private State watcher() {
    State s = watcherCtx.state(ns);
    s.size().block(); // the buffered cursor is set once the client's first request returned
    return s;
  }

  @Test
  void changes_deliversDeltasInOrder() {
    State watcher = watcher();
    Flux<StateChange> changes = watcher.changes();
    StepVerifier.create(changes.take(3))
        .then(() -> awaitWatches(1))
        .then(
            () -> writer.put("a", 1).then(writer.put("a", 2)).then(writer.remove("a")).subscribe())
        .assertNext(
            c -> {
              assertThat(c.namespace()).isEqualTo(ns);
              assertThat(c.keys()).containsExactly("a");
              assertThat(c.before()).isEmpty();
              assertThat(c.after()).containsEntry("a", 1);
              assertThat(c.origin()).isEqualTo(writer.id());
              assertThat(c.identical()).isFalse();
              assertThat(c.timestamp()).isNotNull();
            })
        .assertNext(c -> assertThat(c.before()).containsEntry("a", 1))
        .assertNext(
            c -> {
              assertThat(c.after()).isEmpty();
              assertThat(c.version()).isEqualTo(3);
            })
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void changes_identicalWriteIsDeliveredAndMarked() {
    writer.put("a", 1).block();
    StepVerifier.create(watcher().changes().take(1))
        .then(() -> awaitWatches(1))
        .then(() -> writer.put("a", 1L).subscribe())
        .assertNext(c -> assertThat(c.identical()).isTrue())
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void changesAfter_replaysJournalThenLive() {
    for (int i = 1; i <= 5; i++) {
      writer.put("k", i).block();
    }
    StepVerifier.create(watcher().changes(2).map(StateChange::version).take(5))
        .expectNext(3L, 4L, 5L)
        .then(() -> writer.put("k", 6).then(writer.put("k", 7)).subscribe())
        .expectNext(6L, 7L)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void changesAfter_olderThanJournal_errorsWithLostCount() {
    for (int i = 1; i <= JOURNAL + 10; i++) {
      writer.put("k", i).block();
    }
    StepVerifier.create(watcher().changes(0))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ChangesLostException.class);
              assertThat(((ChangesLostException) e).lost()).isEqualTo(10);
              assertThat(e).hasMessageContaining("journalSize");
            })
        .verify(WAIT);
  }

  @Test
  void changes_backpressure_serverSendsOnlyWhatIsRequested() {
    for (int i = 1; i <= 20; i++) {
      writer.put("k", i).block();
    }
    StepVerifier.create(watcher().changes(0).map(StateChange::version), 2)
        .expectNext(1L, 2L)
        .expectNoEvent(Duration.ofMillis(200))
        .thenRequest(3)
        .expectNext(3L, 4L, 5L)
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void changes_slowSubscriberFallsBehindJournal_getsChangesLost() {
    TestSubscriber<Long> subscriber = TestSubscriber.<Long>builder().initialRequest(1).build();
    watcher().changes(0).map(StateChange::version).subscribe(subscriber);
    writer.put("k", 0).block();
    await().atMost(WAIT).until(() -> subscriber.getReceivedOnNext().size() == 1);
    for (int i = 1; i <= JOURNAL + 50; i++) {
      writer.put("k", i).block();
    }
    subscriber.request(Long.MAX_VALUE);
    await().atMost(WAIT).until(subscriber::isTerminated);
    assertThat(subscriber.expectTerminalError()).isInstanceOf(ChangesLostException.class);
    // a few changes may have been in flight before the stall; what was delivered has no gap
    List<Long> versions = subscriber.getReceivedOnNext();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(i + 1L);
    }
    assertThat(versions.size()).isLessThan(40);
  }

  @Test
  void whenChange_buffered_seesChangeMadeWhileBusy() {
    State watcher = watcher();
    writer.put("cookies", 1).block();
    Snapshot s = watcher.whenChange("cookies").block(WAIT);
    assertThat(s).containsEntry("cookies", 1);
    writer.put("cookies", 2).block();
    writer.put("cookies", 3).block();
    assertThat(watcher.whenChange("cookies").block(WAIT)).containsEntry("cookies", 2);
    assertThat(watcher.whenChange("cookies").block(WAIT)).containsEntry("cookies", 3);
  }

  @Test
  void whenChange_filtersKeysAndIdenticalAndSelf() {
    State watcher = watcher();
    watcher.put("mine", 1).block();
    writer.put("other", 1).block();
    writer.put("cookies", 0).block();
    writer.put("cookies", 0).block();
    writer.put("cookies", 5).block();
    Snapshot s = watcher.whenChange("cookies").block(WAIT);
    assertThat(s).containsEntry("cookies", 0).containsEntry("mine", 1);
    s = watcher.whenChange("cookies").block(WAIT);
    assertThat(s).containsEntry("cookies", 5);
    watcher.put("cookies", 6).block();
    StepVerifier.create(watcher.whenChange("cookies"))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(300))
        .then(() -> writer.put("cookies", 7).subscribe())
        .assertNext(snap -> assertThat(snap).containsEntry("cookies", 7))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void whenChange_noKeys_anyChange() {
    State watcher = watcher();
    writer.put("x", 1).block();
    assertThat(watcher.whenChange().block(WAIT)).containsEntry("x", 1);
  }

  @Test
  void live_ignoresBacklog_goLiveDropsIt() {
    State watcher = watcher();
    writer.put("k", 1).block();
    StepVerifier.create(watcher.live().whenChange("k"))
        .expectSubscription()
        .then(() -> awaitWatches(1))
        .then(() -> writer.put("k", 2).subscribe())
        .assertNext(s -> assertThat(s).containsEntry("k", 2))
        .expectComplete()
        .verify(WAIT);
    State other = watcher();
    writer.put("k", 3).block();
    other.goLive().block(WAIT);
    StepVerifier.create(other.whenChange("k"))
        .expectSubscription()
        .then(() -> awaitWatches(1))
        .expectNoEvent(Duration.ofMillis(200))
        .then(() -> writer.put("k", 4).subscribe())
        .assertNext(s -> assertThat(s).containsEntry("k", 4))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void when_testsCurrentStateFirst() {
    writer.put("cookies", 5).block();
    assertThat(watcher().whenEqual("cookies", 5L).block(WAIT)).containsEntry("cookies", 5);
  }

  @Test
  void when_seesEveryStateInOrder_noneSkipped() {
    State watcher = watcher();
    List<Integer> seen = new CopyOnWriteArrayList<>();
    Mono<Snapshot> done =
        watcher.when(
            s -> {
              Object v = s.get("n");
              if (v != null) {
                seen.add((Integer) v);
              }
              return Integer.valueOf(200).equals(v);
            });
    StepVerifier.create(done)
        .then(
            () ->
                Flux.range(1, 200)
                    .concatMap(i -> writer.put("n", i))
                    .subscribeOn(Schedulers.boundedElastic())
                    .subscribe())
        .assertNext(s -> assertThat(s).containsEntry("n", 200))
        .expectComplete()
        .verify(WAIT);
    List<Integer> expected = new ArrayList<>();
    for (int i = seen.get(0); i <= 200; i++) {
      expected.add(i);
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void whenVariants_matchAsTheOriginal_keyErrorSafe() {
    State watcher = watcher();
    Mono<Snapshot> equal = watcher.whenEqual("k", 1).cache();
    Mono<Snapshot> notEqual = watcher.whenNotEqual("k", 1).cache();
    Mono<Snapshot> none = watcher.whenNone("k").cache();
    Mono<Snapshot> notNone = watcher.whenNotNone("k").cache();
    Mono<Snapshot> available = watcher.whenAvailable("k").cache();
    List<Disposable> running =
        List.of(
            equal.subscribe(),
            notEqual.subscribe(),
            none.subscribe(),
            notNone.subscribe(),
            available.subscribe());
    writer.put("other", 1).block();
    writer.put("k", null).block();
    assertThat(none.block(WAIT)).containsEntry("k", null);
    assertThat(available.block(WAIT)).containsEntry("k", null);
    assertThat(notEqual.block(WAIT)).containsEntry("k", null);
    writer.put("k", 1).block();
    assertThat(equal.block(WAIT)).containsEntry("k", 1);
    assertThat(notNone.block(WAIT)).containsEntry("k", 1);
    running.forEach(Disposable::dispose);
  }

  @Test
  void whenEqual_ownChangesDoNotWake_anotherClientsChangeTestsTheState() {
    State watcher = watcher();
    Mono<Snapshot> equal = watcher.whenEqual("k", 1).cache();
    Disposable running = equal.subscribe();
    try {
      awaitWatches(1);
      watcher.put("k", 1).block(WAIT);
      // Its own change did not wake it; the next change by another client does, and the state
      // after that change has k = 1.
      assertThat(ServerProbe.watchCount(server, ns)).isEqualTo(1);
      writer.put("other", 2).block(WAIT);
      assertThat(equal.block(WAIT)).containsEntry("k", 1).containsEntry("other", 2);
    } finally {
      running.dispose();
    }
  }

  @Test
  void whenEqual_connectionDrop_resumesAfterTheStateItTested_noStateSkipped() throws Exception {
    State watcher = watcher();
    // A blocked caller (the lane, when there is one) and a subscriber (the RSocket path).
    CompletableFuture<Snapshot> blocked =
        CompletableFuture.supplyAsync(
            () -> watcher.whenEqual("k", 1).block(WAIT), runnable -> new Thread(runnable).start());
    Mono<Snapshot> subscribed = watcher.whenEqual("k", 1).cache();
    Disposable running = subscribed.subscribe();
    try {
      awaitWatches(2);
      ContextProbe.dropConnection(watcherCtx);
      // While the watcher reconnects, k is 1 only for one version.
      writer.put("k", 1).block(WAIT);
      writer.put("other", 3).block(WAIT);
      writer.put("k", 2).block(WAIT);
      assertThat(blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .containsEntry("k", 1)
          .doesNotContainKey("other");
      assertThat(subscribed.block(WAIT)).containsEntry("k", 1).doesNotContainKey("other");
    } finally {
      running.dispose();
    }
    awaitWatches(0);
  }

  @Test
  void whenEqual_manyBlockedCallers_allWake_noThreadHeldWhileWaiting() throws Exception {
    State watcher = watcher();
    int callers = 48;
    List<CompletableFuture<Snapshot>> waiting = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      waiting.add(
          CompletableFuture.supplyAsync(
              () -> watcher.whenEqual("go", 1).block(WAIT),
              runnable -> new Thread(runnable).start()));
    }
    awaitWatches(callers);
    writer.put("go", 1).block(WAIT);
    for (CompletableFuture<Snapshot> w : waiting) {
      assertThat(w.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsEntry("go", 1);
    }
    awaitWatches(0);
  }

  @Test
  void whenEqual_blockedCallerTimesOut_releasesServerWatch() {
    State watcher = watcher();
    for (int i = 0; i < 20; i++) {
      Mono<Snapshot> never = watcher.whenEqual("never", 1);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> never.block(Duration.ofMillis(20)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Timeout");
    }
    awaitWatches(0);
    writer.put("never", 1).block(WAIT);
    assertThat(watcher.whenEqual("never", 1).block(WAIT)).containsEntry("never", 1);
  }

  @Test
  void timeouts_releaseServerWatches() {
    State watcher = watcher();
    Flux.range(0, 10_000)
        .flatMap(
            i ->
                watcher
                    .whenChange("never")
                    .timeout(Duration.ofMillis(1))
                    .onErrorResume(TimeoutException.class, e -> Mono.empty()),
            256)
        .then()
        .block(Duration.ofSeconds(120));
    Flux.range(0, 200)
        .flatMap(
            i ->
                watcher
                    .whenEqual("never", 1)
                    .timeout(Duration.ofMillis(5))
                    .onErrorResume(TimeoutException.class, e -> Mono.empty()),
            64)
        .then()
        .block(Duration.ofSeconds(60));
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(ServerProbe.watchCount(server, ns)).isZero());
  }

  @Test
  void atomic_fourClientsIncrementExactly() {
    List<ZProc> clients = new ArrayList<>();
    try {
      for (int c = 0; c < 4; c++) {
        clients.add(ZProc.connect(server.address(), watcherOptions()));
      }
      Flux.fromIterable(clients)
          .flatMap(
              ctx -> {
                State s = ctx.state(ns);
                return Flux.range(0, 500)
                    .concatMap(
                        i ->
                            s.atomic(
                                map -> {
                                  Number n = (Number) map.getOrDefault("n", 0);
                                  map.put("n", n.intValue() + 1);
                                  return n;
                                }))
                    .subscribeOn(Schedulers.boundedElastic());
              })
          .then()
          .block(Duration.ofSeconds(120));
    } finally {
      clients.forEach(ZProc::close);
    }
    assertThat(writer.get("n").block()).isEqualTo(2000);
  }

  @Test
  void atomic_nestedMutation_commitsAsOneChange_exceptionLeavesStateUntouched() {
    writer.put("numbers", List.of(1, 2, 3)).block();
    State s = watcher();
    long before = writer.snapshot().block().version();
    Integer size =
        s.atomic(
                map -> {
                  @SuppressWarnings("unchecked")
                  List<Object> numbers = (List<Object>) map.get("numbers");
                  numbers.add(4);
                  map.put("count", numbers.size());
                  return numbers.size();
                })
            .block(WAIT);
    assertThat(size).isEqualTo(4);
    Snapshot after = writer.snapshot().block();
    assertThat(after).containsEntry("numbers", List.of(1, 2, 3, 4)).containsEntry("count", 4);
    assertThat(after.version()).isEqualTo(before + 1);
    StepVerifier.create(
            s.atomic(
                map -> {
                  map.put("numbers", List.of());
                  throw new IllegalStateException("changed my mind");
                }))
        .expectErrorMessage("changed my mind")
        .verify(WAIT);
    assertThat(writer.get("numbers").block()).isEqualTo(List.of(1, 2, 3, 4));
  }

  @Test
  void atomic_retriesWhenWhatItReadChanged() {
    writer.put("n", 0).block();
    AtomicInteger runs = new AtomicInteger();
    Integer result =
        watcher()
            .atomic(
                map -> {
                  if (runs.incrementAndGet() == 1) {
                    // the writer is in this JVM: its put runs at subscription, before the commit
                    writer.put("n", 100).subscribe();
                  }
                  int n = (Integer) map.get("n");
                  map.put("n", n + 1);
                  return n + 1;
                })
            .block(WAIT);
    assertThat(runs.get()).isEqualTo(2);
    assertThat(result).isEqualTo(101);
    assertThat(writer.get("n").block()).isEqualTo(101);
  }

  @Test
  void atomic_clientDiesMidTask_blocksNobody() {
    writer.put("n", 0).block();
    ZProc doomed = ZProc.connect(server.address(), watcherOptions());
    State dying = doomed.state(ns);
    StepVerifier.create(
            dying.atomic(
                map -> {
                  doomed.close(); // the process dies while its task runs
                  map.put("n", -1);
                  return null;
                }))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .extracting(x -> ((ZProcException) x).code())
                    .isEqualTo(ErrorCode.CONNECTION_CLOSED))
        .verify(WAIT);
    Flux.range(0, 100)
        .concatMap(
            i ->
                writer.atomic(
                    m -> {
                      m.put("n", ((Number) m.get("n")).intValue() + 1);
                      return true;
                    }))
        .then()
        .block(WAIT);
    assertThat(writer.get("n").block()).isEqualTo(100);
  }

  @Test
  void atomic_holderStuckInItsTask_othersGoOnAfterItsLease_itsCommitIsStillChecked()
      throws Exception {
    writer.put("n", 0).block();
    State holder = watcher();
    CountDownLatch inTask = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Integer> slow =
        holder
            .atomic(
                map -> {
                  runs.incrementAndGet();
                  inTask.countDown();
                  assertThat(finish.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                  int n = ((Number) map.get("n")).intValue() + 10;
                  map.put("n", n);
                  return n;
                })
            .subscribeOn(Schedulers.boundedElastic())
            .toFuture();
    try {
      assertThat(inTask.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      // Queued behind a holder that does not come back: it gets the lock when the lease ends.
      Integer other =
          writer
              .atomic(
                  map -> {
                    int n = ((Number) map.get("n")).intValue() + 1;
                    map.put("n", n);
                    return n;
                  })
              .block(WAIT);
      assertThat(other).isEqualTo(1);
    } finally {
      finish.countDown();
    }
    // What the holder read changed meanwhile: its commit conflicts and the task runs again.
    assertThat(slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(11);
    assertThat(runs.get()).isEqualTo(2);
    assertThat(writer.get("n").block(WAIT)).isEqualTo(11);
  }

  @Test
  void increment_neverConflicts() {
    Flux.range(0, 400).flatMap(i -> writer.increment("c", 1), 32).then().block(WAIT);
    assertThat(writer.get("c").block()).isEqualTo(400);
  }

  @Test
  void putAll_isOneChange() {
    StepVerifier.create(watcher().changes().take(1))
        .then(() -> awaitWatches(1))
        .then(() -> writer.putAll(Map.of("a", 1, "b", 2)).subscribe())
        .assertNext(c -> assertThat(c.keys()).containsExactlyInAnyOrder("a", "b"))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void connectionDrop_changesResumeWithoutLossOrDuplicates() {
    State watcher = watcher();
    List<Long> versions = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Disposable stream = watcher.changes(0).subscribe(c -> versions.add(c.version()), errors::add);
    try {
      for (int i = 1; i <= 30; i++) {
        writer.put("k", i).block();
        if (i % 10 == 5) {
          ContextProbe.dropConnection(watcherCtx);
        }
      }
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(errors).isEmpty();
                assertThat(versions).hasSizeGreaterThanOrEqualTo(30);
              });
    } finally {
      stream.dispose();
    }
    List<Long> expected = new ArrayList<>();
    for (long v = 1; v <= 30; v++) {
      expected.add(v);
    }
    assertThat(versions).isEqualTo(expected);
  }
}
