package io.zproc.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ErrorCode;
import io.zproc.MapOptions;
import io.zproc.MapTaskException;
import io.zproc.StatefulMapTask;
import io.zproc.WorkerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcWorker;
import io.zproc.remote.Secret;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * processMap with remote workers in this JVM ({@link ZProcWorker#start}): one server (a context's
 * embedded one), one worker with two slots, shared by the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteWorkerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEY = "remote-worker-test-key";
  private static final MapOptions REMOTE = MapOptions.defaults().remote(true).count(2);
  private static final WorkerOptions WORKER =
      WorkerOptions.defaults().secretKey(KEY).slots(2).allow("io.zproc.worker.**");

  private ZProc ctx;
  private ZProcWorker worker;

  @BeforeAll
  void start() {
    ctx = ZProc.start(ZProcOptions.defaults().secretKey(KEY).namespace("remote").spareProcesses(0));
    worker = ZProcWorker.start(ctx.address(), WORKER);
  }

  @AfterAll
  void stop() {
    worker.close();
    ctx.close();
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  @Test
  void processMap_remote_inOrder() {
    List<Integer> results =
        ctx.processMap(range(3000), (Integer x) -> x * 2, REMOTE).collectList().block(WAIT);
    assertThat(results).isEqualTo(range(3000).stream().map(x -> x * 2).toList());
  }

  @Test
  void processMap_remote_fixedChunks_inOrder() {
    List<String> results =
        ctx.processMap(range(500), (Integer x) -> "v" + x, REMOTE.chunkSize(7))
            .collectList()
            .block(WAIT);
    assertThat(results).isEqualTo(range(500).stream().map(x -> "v" + x).toList());
  }

  @Test
  void processMap_remote_demandBoundsTheSource() {
    AtomicLong requested = new AtomicLong();
    Flux<Integer> source = Flux.range(0, 100_000).doOnRequest(requested::addAndGet);
    StepVerifier.create(
            ctx.processMap(source, (Integer x) -> x + 1, REMOTE.chunkSize(4).prefetch(16)), 0)
        .expectSubscription()
        .thenRequest(5)
        .expectNext(1, 2, 3, 4, 5)
        .thenCancel()
        .verify(WAIT);
    assertThat(requested.get()).isLessThanOrEqualTo(16 + 5);
  }

  @Test
  void processMap_remote_infinitePublisher_takesWhatItNeeds() {
    Flux<Long> endless =
        Flux.generate(
            () -> 0L,
            (n, sink) -> {
              sink.next(n);
              return n + 1;
            });
    List<Long> results =
        ctx.processMap(endless, (Long x) -> x * x, REMOTE).take(100).collectList().block(WAIT);
    assertThat(results).hasSize(100).element(99).isEqualTo(99L * 99L);
  }

  @Test
  void processMap_remote_taskError_namesTheIndex() {
    StepVerifier.create(
            ctx.processMap(
                range(50),
                (Integer x) -> {
                  if (x == 17) {
                    throw new IllegalStateException("no seventeen");
                  }
                  return x;
                },
                REMOTE.chunkSize(5)))
        .expectNextCount(17)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(MapTaskException.class)
                    .hasMessageContaining("17")
                    .hasMessageContaining("no seventeen"))
        .verify(WAIT);
  }

  @Test
  void processMap_remote_statefulTask_getsTheContextsNamespace() {
    StatefulMapTask<Integer, String> task =
        (state, x) -> {
          state.put("seen-" + x, x).block();
          return state.namespace();
        };
    List<String> namespaces =
        ctx.processMap(Flux.range(0, 10), task, REMOTE).collectList().block(WAIT);
    assertThat(namespaces).containsOnly("remote").hasSize(10);
    assertThat(ctx.state().get("seen-9").block(WAIT)).isEqualTo(9);
  }

  @Test
  void processMap_remote_twoContextsShareTheWorker() {
    // the other context over tcp (RSocket), as one on another machine
    try (ZProc other =
        ZProc.connect(
            ctx.address(),
            ZProcOptions.defaults()
                .secretKey(KEY)
                .directPath(false)
                .localSocket(false)
                .spareProcesses(0))) {
      Flux<Integer> a = ctx.processMap(range(400), (Integer x) -> x, REMOTE.chunkSize(3));
      Flux<Integer> b = other.processMap(range(400), (Integer x) -> -x, REMOTE.chunkSize(3));
      List<List<Integer>> both =
          Flux.merge(a.collectList(), b.collectList()).collectList().block(WAIT);
      assertThat(both)
          .containsExactlyInAnyOrder(range(400), range(400).stream().map(x -> -x).toList());
    }
  }

  @Test
  void processMap_remote_refusedClass_failsTheBatch_workerLives() {
    StepVerifier.create(ctx.processMap(List.of(new Secret(1)), (Secret s) -> s.value(), REMOTE))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .hasMessageContaining("io.zproc.remote.Secret")
                    .hasMessageContaining("--allow io.zproc.remote.**"))
        .verify(WAIT);
    assertThat(ctx.processMap(range(10), (Integer x) -> x, REMOTE).collectList().block(WAIT))
        .isEqualTo(range(10));
  }

  @Test
  void processMap_remote_resultOfAClassOutsideTheTasksPackage_refusedHere() {
    StepVerifier.create(ctx.processMap(range(3), (Integer x) -> new Secret(x), REMOTE))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .hasMessageContaining("io.zproc.remote.Secret")
                    .hasMessageContaining("results of remote workers are read only for"))
        .verify(WAIT);
  }

  @Test
  void processMap_remote_batchOverTheRequestLimit_isCutSmaller() {
    List<byte[]> big = List.of(new byte[3 << 20], new byte[3 << 20], new byte[3 << 20]);
    List<Integer> sizes =
        ctx.processMap(big, (byte[] b) -> b.length, REMOTE.chunkSize(3)).collectList().block(WAIT);
    assertThat(sizes).containsExactly(3 << 20, 3 << 20, 3 << 20);
  }

  @Test
  void processMap_remote_itemOverTheRequestLimit_failsClearly() {
    StepVerifier.create(ctx.processMap(List.of(new byte[9 << 20]), (byte[] b) -> b.length, REMOTE))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("item 0 of processMap encodes to"))
        .verify(WAIT);
  }

  @Test
  void start_wrongKey_refused() {
    assertThatThrownBy(() -> ZProcWorker.start(ctx.address(), WORKER.secretKey("not-the-key")))
        .isInstanceOfSatisfying(
            ZProcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  @Test
  void close_completesOnClose_andIsIdempotent() {
    ZProcWorker extra = ZProcWorker.start(ctx.address(), WORKER.slots(1));
    extra.close();
    extra.close();
    StepVerifier.create(extra.onClose()).expectComplete().verify(WAIT);
  }

  @Test
  void processMap_remote_noWorker_waits() {
    try (ZProc lonely = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      AtomicLong requested = new AtomicLong();
      Flux<Integer> source = Flux.range(0, 1_000_000).doOnRequest(requested::addAndGet);
      StepVerifier.create(
              lonely
                  .processMap(source, (Integer x) -> x, REMOTE.prefetch(32))
                  .timeout(Duration.ofMillis(500)))
          .expectError(TimeoutException.class)
          .verify(WAIT);
      assertThat(requested.get()).isLessThanOrEqualTo(32);
    }
  }
}
