package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.client.ContextProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * processMap over worker JVMs (two of them, shared by the whole class: one pool) and over threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessMapTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final MapOptions TWO = MapOptions.defaults().count(2);
  private static final MapOptions THREADS = TWO.backend(Backend.THREAD);
  private ZProc ctx;

  @BeforeAll
  void start() {
    ctx = ZProc.start(ZProcOptions.defaults().namespace("maps").spareProcesses(0));
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 64, 5000})
  void processMap_manyItems_inOrder(int chunkSize) {
    List<Integer> results =
        ctx.processMap(range(3000), (Integer x) -> x * 2, TWO.chunkSize(chunkSize))
            .collectList()
            .block(WAIT);
    assertThat(results).isEqualTo(range(3000).stream().map(x -> x * 2).toList());
  }

  @Test
  void processMap_runsInWorkerJvms_notListedAsProcesses() {
    long here = ProcessHandle.current().pid();
    Set<Long> pids =
        new HashSet<>(
            ctx.processMap(range(200), (Integer x) -> ProcessHandle.current().pid(), TWO)
                .collectList()
                .block(WAIT));
    assertThat(pids).doesNotContain(here).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    assertThat(ctx.processes()).isEmpty();
  }

  @Test
  void processMap_asyncSource_inOrder() {
    Flux<Integer> slow = Flux.range(0, 300).publishOn(Schedulers.parallel(), 4);
    StepVerifier.create(ctx.processMap(slow, (Integer x) -> x + 1, TWO.chunkSize(32)))
        .expectNextSequence(IntStream.rangeClosed(1, 300).boxed().toList())
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void processMap_emptySource_completes() {
    StepVerifier.create(ctx.processMap(List.<Integer>of(), (Integer x) -> x, TWO))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void processMap_limitedRequest_pullsNoMoreThanRequested() {
    AtomicLong pulled = new AtomicLong();
    Flux<Integer> source = Flux.range(0, 100_000).doOnNext(x -> pulled.incrementAndGet());
    StepVerifier.create(ctx.processMap(source, (Integer x) -> x, TWO.chunkSize(8)), 10)
        .expectNextSequence(range(10))
        .then(() -> assertThat(pulled.get()).isEqualTo(10))
        .thenRequest(25)
        .expectNextSequence(IntStream.range(10, 35).boxed().toList())
        .then(() -> assertThat(pulled.get()).isEqualTo(35))
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void processMap_slowSubscriber_boundedByPrefetch() throws Exception {
    AtomicLong pulled = new AtomicLong();
    Flux<Integer> source = Flux.range(0, 100_000).doOnNext(x -> pulled.incrementAndGet());
    CountDownLatch release = new CountDownLatch(1);
    CopyOnWriteArrayList<Integer> got = new CopyOnWriteArrayList<>();
    BaseSubscriber<Integer> slow =
        new BaseSubscriber<>() {
          @Override
          protected void hookOnNext(Integer value) {
            got.add(value);
            if (value == 0) {
              try {
                release.await(30, TimeUnit.SECONDS); // stalls: unbounded demand, no progress
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    ctx.processMap(source, (Integer x) -> x, TWO.chunkSize(5).prefetch(20)).subscribe(slow);
    await().atMost(WAIT).until(() -> !got.isEmpty());
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> pulled.get() <= 21);
    release.countDown();
    slow.dispose();
  }

  @Test
  void processMap_infiniteSourceWithTake_pullsOnlyWhatIsTaken() {
    AtomicLong pulled = new AtomicLong();
    Flux<Integer> infinite =
        Flux.range(0, Integer.MAX_VALUE).doOnNext(x -> pulled.incrementAndGet());
    StepVerifier.create(ctx.processMap(infinite, (Integer x) -> x * 3, TWO).take(50))
        .expectNextSequence(range(50).stream().map(x -> x * 3).toList())
        .expectComplete()
        .verify(WAIT);
    assertThat(pulled.get()).isEqualTo(50);
  }

  @Test
  void processMap_generatedInfiniteSource_cancelStopsPulling() {
    AtomicLong pulled = new AtomicLong();
    Flux<Long> infinite =
        Flux.<Long, Long>generate(
                () -> 0L,
                (i, sink) -> {
                  sink.next(i);
                  return i + 1;
                })
            .doOnNext(x -> pulled.incrementAndGet());
    StepVerifier.create(ctx.processMap(infinite, (Long x) -> x, TWO.chunkSize(16)))
        .expectNextCount(1000)
        .thenCancel()
        .verify(WAIT);
    long atCancel = pulled.get();
    assertThat(atCancel).isLessThanOrEqualTo(1000 + TWO.prefetch());
    // the pool is free again and nothing more is pulled
    assertThat(ctx.processMap(range(10), (Integer x) -> x, TWO).collectList().block(WAIT))
        .isEqualTo(range(10));
    assertThat(pulled.get()).isEqualTo(atCancel);
  }

  @Test
  void processMap_taskThrows_errorsAfterEarlierItemsNamingIndex() {
    StepVerifier.create(
            ctx.processMap(
                range(100),
                (Integer x) -> {
                  if (x == 42) {
                    throw new IllegalStateException("no 42");
                  }
                  return x;
                },
                TWO.chunkSize(5)))
        .expectNextSequence(range(42))
        .expectErrorSatisfies(
            e -> {
              assertThat(e)
                  .isInstanceOf(MapTaskException.class)
                  .isInstanceOf(RemoteException.class);
              MapTaskException m = (MapTaskException) e;
              assertThat(m.index()).isEqualTo(42);
              assertThat(m.getMessage()).contains("item 42").contains("no 42");
              assertThat(m.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
              assertThat(m.remoteMessage()).isEqualTo("no 42");
              assertThat(m.getStackTrace()).isNotEmpty();
            })
        .verify(WAIT);
  }

  @Test
  void processMap_workerKilledMidItem_batchesRerunOnceInOrder() {
    ctx.state().remove("victim").block();
    List<Integer> results =
        ctx.processMap(
                Flux.range(0, 200),
                (State state, Integer x) -> {
                  if (x == 57
                      && state.putIfAbsent("victim", ProcessHandle.current().pid()).block()
                          == null) {
                    Thread.sleep(60_000); // killed by the test meanwhile
                  }
                  return x;
                },
                TWO.chunkSize(4))
            .doOnSubscribe(
                s ->
                    Schedulers.boundedElastic()
                        .schedule(
                            () -> {
                              await()
                                  .atMost(WAIT)
                                  .until(() -> ctx.state().containsKey("victim").block());
                              long pid = ((Number) ctx.state().get("victim").block()).longValue();
                              ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                            }))
            .collectList()
            .block(WAIT);
    assertThat(results).isEqualTo(range(200));
    long victim = ((Number) ctx.state().get("victim").block()).longValue();
    await().atMost(WAIT).until(() -> ProcessHandle.of(victim).isEmpty());
    // the pool replaced it: two workers again
    Set<Long> pids =
        new HashSet<>(
            ctx.processMap(
                    range(400),
                    (Integer x) -> {
                      Thread.sleep(1);
                      return ProcessHandle.current().pid();
                    },
                    TWO.chunkSize(2))
                .collectList()
                .block(WAIT));
    assertThat(pids).doesNotContain(victim).hasSize(2);
  }

  @Test
  void processMap_statefulTask_seesContextNamespace() {
    ctx.state().put("base", 1000).block();
    List<Integer> results =
        ctx.processMap(
                Flux.range(0, 20),
                (State state, Integer x) -> {
                  state.increment("seen", 1).block();
                  return x + state.get("base", Integer.class).block();
                },
                TWO.chunkSize(3))
            .collectList()
            .block(WAIT);
    assertThat(results).isEqualTo(IntStream.range(1000, 1020).boxed().toList());
    assertThat(ctx.state().get("seen").block()).isEqualTo(20);
  }

  @Test
  void processMap_threadBackend_inOrderWithState() {
    long here = ProcessHandle.current().pid();
    ctx.state().put("offset", 7).block();
    StepVerifier.create(
            ctx.processMap(
                Flux.range(0, 500),
                (State state, Integer x) -> x == 0 ? ProcessHandle.current().pid() : (long) x + 7,
                THREADS.chunkSize(9)))
        .expectNext(here)
        .expectNextSequence(IntStream.range(1, 500).mapToObj(x -> (long) x + 7).toList())
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void processMap_threadBackend_taskThrows_namesIndex() {
    StepVerifier.create(
            ctx.processMap(
                Flux.range(0, 50),
                (Integer x) -> {
                  if (x == 3) {
                    throw new IllegalArgumentException("bad " + x);
                  }
                  return x;
                },
                THREADS))
        .expectNext(0, 1, 2)
        .expectErrorSatisfies(e -> assertThat(((MapTaskException) e).index()).isEqualTo(3))
        .verify(WAIT);
  }

  @Test
  void processMap_concurrentCalls_shareThePool() {
    Flux<Integer> a = ctx.processMap(range(1000), (Integer x) -> x, TWO.chunkSize(10));
    Flux<Integer> b = ctx.processMap(range(1000), (Integer x) -> -x, TWO.chunkSize(3));
    List<List<Integer>> both =
        Flux.merge(a.collectList(), b.collectList()).collectList().block(WAIT);
    assertThat(both)
        .containsExactlyInAnyOrder(range(1000), range(1000).stream().map(x -> -x).toList());
  }

  @Test
  void processMap_notSerializableItem_errorsNamingIndex() {
    List<Object> items = new ArrayList<>(List.of(0, 1, 2));
    items.add(new Object());
    items.add(4);
    StepVerifier.create(ctx.processMap(items, (Object x) -> x.toString(), TWO.chunkSize(10)))
        .expectNext("0", "1", "2")
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("item 3")
                    .hasMessageContaining("java.lang.Object")
                    .hasMessageContaining("Serializable"))
        .verify(WAIT);
  }

  @Test
  void processMap_nullOrNotSerializableResult_errorsNamingIndex() {
    StepVerifier.create(
            ctx.processMap(range(10), (Integer x) -> x == 5 ? null : x, THREADS.chunkSize(10)))
        .expectNextSequence(range(5))
        .expectErrorSatisfies(
            e -> assertThat(e).isInstanceOf(MapTaskException.class).hasMessageContaining("null"))
        .verify(WAIT);
    StepVerifier.create(
            ctx.processMap(range(10), (Integer x) -> x == 2 ? new Object() : x, TWO.chunkSize(10)))
        .expectNext(0, 1)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(MapTaskException.class)
                    .hasMessageContaining("item 2")
                    .hasMessageContaining("java.lang.Object"))
        .verify(WAIT);
  }

  @Test
  void processMap_sourceError_afterEarlierItems() {
    Flux<Integer> failing =
        Flux.range(0, 5).concatWith(Flux.error(new IllegalStateException("source broke")));
    StepVerifier.create(ctx.processMap(failing, (Integer x) -> x, TWO))
        .expectNext(0, 1, 2, 3, 4)
        .expectErrorMessage("source broke")
        .verify(WAIT);
  }

  @Test
  void keepAlive_idleWorkersStop_aLaterCallStartsNewOnes() {
    // Their own group (a JVM option), so other tests' workers do not count.
    MapOptions brief = TWO.jvmOptions("-Dzproc.test.group=brief").keepAlive(Duration.ofMillis(300));
    Set<Long> first =
        new HashSet<>(
            ctx.processMap(range(100), (Integer x) -> ProcessHandle.current().pid(), brief)
                .collectList()
                .block(WAIT));
    await().atMost(WAIT).until(() -> ContextProbe.mapWorkers(ctx, brief) == 0);
    for (long pid : first) {
      await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }
    List<Integer> again =
        ctx.processMap(range(50), (Integer x) -> x + 1, brief).collectList().block(WAIT);
    assertThat(again).isEqualTo(range(50).stream().map(x -> x + 1).toList());
    await().atMost(WAIT).until(() -> ContextProbe.mapWorkers(ctx, brief) == 0);
  }

  @Test
  void keepAlive_callsWithinIt_reuseTheWorkers() {
    MapOptions kept = TWO.backend(Backend.THREAD).keepAlive(Duration.ofSeconds(60));
    assertThat(ctx.processMap(range(10), (Integer x) -> x, kept).collectList().block(WAIT))
        .hasSize(10);
    // Both workers were started for the call; a short call may end before the second is up.
    await().atMost(WAIT).until(() -> ContextProbe.mapWorkers(ctx, kept) == 2);
    assertThat(ctx.processMap(range(10), (Integer x) -> x, kept).collectList().block(WAIT))
        .hasSize(10);
    assertThat(ContextProbe.mapWorkers(ctx, kept)).isEqualTo(2);
  }

  @Test
  void workers_takeTheContextsSpareJvm_insteadOfBootingOne() {
    try (ZProc withSpare =
        ZProc.connect(ctx.address(), ZProcOptions.defaults().spareProcesses(1))) {
      assertThat(withSpare.process(s -> 1L).result().block(WAIT)).isEqualTo(1L);
      await().atMost(WAIT).until(() -> ContextProbe.sparePids(withSpare).size() == 1);
      long spare = ContextProbe.sparePids(withSpare).get(0);
      Set<Long> pids =
          new HashSet<>(
              withSpare
                  .processMap(range(20), (Integer x) -> ProcessHandle.current().pid(), TWO.count(1))
                  .collectList()
                  .block(WAIT));
      assertThat(pids).containsExactly(spare);
      // The spare pool refills itself.
      await().atMost(WAIT).until(() -> ContextProbe.sparePids(withSpare).size() == 1);
      assertThat(ContextProbe.sparePids(withSpare)).doesNotContain(spare);
    }
  }

  @Test
  void keepAlive_negative_isRefused() {
    assertThatThrownBy(() -> MapOptions.defaults().keepAlive(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keepAlive");
  }

  @Test
  void processMap_capturingContext_failsAtOnceNamingIt() {
    ZProc captured = ctx;
    assertThatThrownBy(() -> ctx.processMap(range(3), (Integer x) -> captured.address()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.zproc.internal.client.ClientContext")
        .hasMessageContaining("StatefulMapTask");
  }

  @Test
  void processMap_jvmOptionsAndEnvironment_reachTheWorkers() {
    MapOptions options =
        TWO.count(1).jvmOptions("-Dzproc.map.flag=on").environment("ZPROC_MAP_TEST", "yes");
    StepVerifier.create(
            ctx.processMap(
                range(3),
                (Integer x) ->
                    x
                        + ":"
                        + System.getProperty("zproc.map.flag")
                        + ":"
                        + System.getenv("ZPROC_MAP_TEST"),
                options))
        .expectNext("0:on:yes", "1:on:yes", "2:on:yes")
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void processMap_workersCannotStart_errorsNamingTheOptions() {
    StepVerifier.create(
            ctx.processMap(
                range(10), (Integer x) -> x, TWO.count(1).jvmOptions("-XX:+NoSuchZprocFlag")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("exited before they were ready")
                    .hasMessageContaining("-XX:+NoSuchZprocFlag"))
        .verify(WAIT);
  }

  @Test
  void processMap_taskKillsItsWorker_endsAfterMaxRedeliveries() {
    StepVerifier.create(
            ctx.processMap(
                range(10),
                (Integer x) -> {
                  if (x == 3) {
                    Runtime.getRuntime().halt(9);
                  }
                  return x;
                },
                TWO.count(1).chunkSize(1).maxRedeliveries(1)))
        .expectNext(0, 1, 2)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("items 3..3")
                    .hasMessageContaining("exit codes [9, 9]")
                    .hasMessageContaining("maxRedeliveries(1)"))
        .verify(WAIT);
  }

  @Test
  void close_endsRunningMapAndStopsItsWorkers() {
    ZProc own = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
    Set<Long> pids = ConcurrentHashMap.newKeySet();
    StepVerifier.create(
            own.processMap(
                    Flux.range(0, Integer.MAX_VALUE),
                    (Integer x) -> {
                      Thread.sleep(5);
                      return ProcessHandle.current().pid();
                    },
                    TWO.chunkSize(1))
                .doOnNext(pids::add))
        .expectNextCount(20)
        .then(own::close)
        .thenConsumeWhile(pid -> true)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ZProcException.class)
                    .hasMessageContaining("the context was closed while processMap was running"))
        .verify(WAIT);
    assertThat(pids).isNotEmpty().doesNotContain(ProcessHandle.current().pid());
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
    assertThatThrownBy(() -> own.processMap(range(1), (Integer x) -> x))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void processMap_startsOnSubscription() {
    AtomicLong subscribed = new AtomicLong();
    Flux<Integer> mapped =
        ctx.processMap(
            Flux.range(0, 3).doOnSubscribe(s -> subscribed.incrementAndGet()),
            (Integer x) -> x,
            THREADS);
    assertThat(subscribed.get()).isZero();
    StepVerifier.create(mapped).expectNext(0, 1, 2).expectComplete().verify(WAIT);
    StepVerifier.create(mapped).expectNext(0, 1, 2).expectComplete().verify(WAIT);
    assertThat(subscribed.get()).isEqualTo(2);
  }

  /** Items the thread backend's tasks have run (same JVM: a static is shared). */
  static final AtomicLong ran = new AtomicLong();

  @Test
  void processMap_cancel_workersDropQueuedItems() {
    ran.set(0);
    StepVerifier.create(
            ctx.processMap(
                Flux.range(0, 10_000),
                (Integer x) -> {
                  ran.incrementAndGet();
                  Thread.sleep(2);
                  return x;
                },
                THREADS.chunkSize(50)))
        .expectNextCount(1)
        .thenCancel()
        .verify(WAIT);
    long[] last = {-1};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long now = ran.get();
              boolean stable = now == last[0];
              last[0] = now;
              return stable;
            });
    // two workers had two batches of 50 each: the queued ones and the rest of the running one are
    // dropped (without dropping, all 200 items pulled would run)
    assertThat(ran.get()).isLessThan(150);
  }

  @Test
  void processMap_racingCancelsAndRequests_leaveThePoolUsable() {
    for (int i = 0; i < 200; i++) {
      BaseSubscriber<Integer> subscriber =
          new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
              request(1);
            }
          };
      ctx.processMap(Flux.range(0, 1000), (Integer x) -> x, THREADS.chunkSize(3))
          .subscribe(subscriber);
      reactor.test.util.RaceTestUtils.race(() -> subscriber.request(50), subscriber::dispose);
    }
    assertThat(ctx.processMap(range(2000), (Integer x) -> x, THREADS).collectList().block(WAIT))
        .isEqualTo(range(2000));
  }

  @Test
  void processMap_workerKilledWithSigkillMidMap_outputCompleteOrderedNoDuplicates() {
    int n = 1_000_000;
    // both workers up, and their pids
    await().atMost(WAIT).until(() -> twoWorkersServe(TWO));
    Set<Long> pids =
        new HashSet<>(
            ctx.processMap(range(2000), (Integer x) -> ProcessHandle.current().pid(), TWO)
                .collectList()
                .block(WAIT));
    long victim = pids.iterator().next();
    AtomicLong next = new AtomicLong();
    AtomicLong wrong = new AtomicLong(-1);
    AtomicLong inFlightAtKill = new AtomicLong(-1);
    Long count =
        ctx.processMap(Flux.range(0, n), (Integer x) -> (long) x * x, TWO)
            .doOnNext(
                v -> {
                  long i = next.getAndIncrement();
                  if (v != i * i && wrong.get() < 0) {
                    wrong.set(i);
                  }
                  // the kill comes at the first result past the first thousand that finds
                  // batches in the workers: on a quiet machine the workers can run a whole
                  // read-ahead ahead of the subscriber, and a fixed index may find none in flight
                  if (i >= 1000 && inFlightAtKill.get() <= 0) {
                    int inFlight = ContextProbe.mapBatchesInFlight(ctx, TWO);
                    if (inFlight > 0 || i == n - 1) {
                      inFlightAtKill.set(inFlight);
                      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                    }
                  }
                })
            .count()
            .block(WAIT);
    assertThat(wrong.get()).as("first wrong or misplaced result").isEqualTo(-1);
    assertThat(count).isEqualTo(n);
    assertThat(inFlightAtKill.get()).as("batches in the workers at the kill").isPositive();
    await().atMost(WAIT).until(() -> ProcessHandle.of(victim).isEmpty());
  }

  private boolean twoWorkersServe(MapOptions options) {
    ctx.processMap(range(10), (Integer x) -> x, options).blockLast(WAIT);
    return ContextProbe.mapWorkers(ctx, options) == 2;
  }

  @Test
  void processMap_cancelMidStream_leavesNoWorkerBusy() {
    ctx.state().put("ran", 0).block();
    MapOptions options = TWO.chunkSize(20);
    StepVerifier.create(
            ctx.processMap(
                Flux.range(0, 100_000),
                (State state, Integer x) -> {
                  state.increment("ran", 1).block();
                  Thread.sleep(2);
                  return x;
                },
                options))
        .expectNextCount(30)
        .thenCancel()
        .verify(WAIT);
    await().atMost(WAIT).until(() -> ContextProbe.mapBatchesInFlight(ctx, options) == 0);
    long ran = ((Number) ctx.state().get("ran").block()).longValue();
    // the pool is idle: nothing more runs, and a new call is served at once
    assertThat(ctx.processMap(range(10), (Integer x) -> x, options).collectList().block(WAIT))
        .isEqualTo(range(10));
    assertThat(((Number) ctx.state().get("ran").block()).longValue()).isEqualTo(ran);
    // at most what was in the workers at the cancel: 2 workers × 2 batches of 20, past the 30
    assertThat(ran).isLessThanOrEqualTo(30 + 2 * 2 * 20);
  }

  @Test
  void processMap_infiniteSource_neverPullsMoreThanPrefetchPastWhatWasSeen() {
    for (MapOptions options : List.of(TWO, TWO.prefetch(1000), THREADS)) {
      AtomicLong seen = new AtomicLong();
      AtomicLong asked = new AtomicLong();
      AtomicLong worst = new AtomicLong();
      Flux<Integer> infinite =
          Flux.range(0, Integer.MAX_VALUE)
              .doOnRequest(
                  r -> {
                    long total = asked.addAndGet(r);
                    worst.accumulateAndGet(total - seen.get(), Math::max);
                  });
      Long count =
          ctx.processMap(infinite, (Integer x) -> x, options)
              .doOnNext(x -> seen.incrementAndGet())
              .take(300_000)
              .count()
              .block(WAIT);
      assertThat(count).isEqualTo(300_000);
      assertThat(worst.get())
          .as("pulled past seen, " + options)
          .isLessThanOrEqualTo(options.prefetch());
      assertThat(asked.get()).isLessThanOrEqualTo(300_000 + options.prefetch());
    }
  }

  @Test
  void processMap_oneAtATimeSubscriber_pullsOneAtATime() {
    AtomicLong seen = new AtomicLong();
    AtomicLong asked = new AtomicLong();
    AtomicLong worst = new AtomicLong();
    Flux<Integer> infinite =
        Flux.range(0, Integer.MAX_VALUE)
            .doOnRequest(r -> worst.accumulateAndGet(asked.addAndGet(r) - seen.get(), Math::max));
    CountDownLatch done = new CountDownLatch(1);
    ctx.processMap(infinite, (Integer x) -> x * 2, TWO)
        .subscribe(
            new BaseSubscriber<>() {
              @Override
              protected void hookOnSubscribe(Subscription s) {
                s.request(1);
              }

              @Override
              protected void hookOnNext(Integer value) {
                if (value != seen.getAndIncrement() * 2) {
                  throw new IllegalStateException("out of order: " + value);
                }
                if (seen.get() == 2000) {
                  cancel();
                  done.countDown();
                } else {
                  request(1);
                }
              }
            });
    await().atMost(WAIT).until(() -> done.getCount() == 0);
    assertThat(worst.get()).isEqualTo(1);
    assertThat(asked.get()).isEqualTo(2000);
  }

  @Test
  void processMap_workerPrints_reachTheParentsStdout() {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream both =
        new java.io.PrintStream(
            new java.io.OutputStream() {
              @Override
              public synchronized void write(int b) {
                captured.write(b);
                original.write(b);
              }

              @Override
              public synchronized void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                original.write(b, off, len);
              }
            },
            true);
    System.setOut(both);
    try {
      List<Integer> results =
          ctx.processMap(
                  range(3),
                  (Integer x) -> {
                    System.out.println("printed by a worker: item " + x);
                    return x;
                  },
                  TWO)
              .collectList()
              .block(WAIT);
      assertThat(results).isEqualTo(range(3));
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                String out;
                synchronized (both) {
                  out = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
                assertThat(out)
                    .contains(
                        "printed by a worker: item 0\n",
                        "printed by a worker: item 1\n",
                        "printed by a worker: item 2\n");
              });
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void mapOptions_badValues_areRejectedWithTheLimit() {
    assertThatThrownBy(() -> MapOptions.defaults().count(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("count must be between 1 and 256 workers, got 0");
    assertThatThrownBy(() -> MapOptions.defaults().count(257))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 257");
    assertThatThrownBy(() -> MapOptions.defaults().chunkSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkSize must be between 1 and 65536 items, got 0");
    assertThatThrownBy(() -> MapOptions.defaults().prefetch(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefetch must be at least 1 item, got 0");
    assertThatThrownBy(() -> MapOptions.defaults().maxRedeliveries(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRedeliveries must be >= 0, got -1");
    assertThatThrownBy(() -> MapOptions.defaults().jvmOptions("-Xmx64m", null))
        .isInstanceOf(NullPointerException.class);
    assertThat(MapOptions.defaults().count(3).chunkSize(10).prefetch()).isEqualTo(60);
    assertThat(MapOptions.defaults().count()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }
}
