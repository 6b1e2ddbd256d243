package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.client.ContextProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.test.StepVerifier;

/** Child JVM processes. One context (and so one spare pool) for the whole class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private ZProc ctx;

  @BeforeAll
  void start() {
    ctx = ZProc.start(ZProcOptions.defaults().secretKey("child-key").namespace("procs"));
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  @Test
  void process_returnsDeclaredType_andSharesState() {
    ZProcess<Long> p =
        ctx.process(
            state -> {
              state.put("from-child", "hello").block();
              return 5L;
            });
    assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
    Long value = p.result().block(WAIT);
    assertThat(value).isInstanceOf(Long.class).isEqualTo(5L);
    assertThat(ctx.state().get("from-child").block()).isEqualTo("hello");
    // result() means the process has ended (as zproc's wait() joins it)
    assertThat(p.exitCode()).hasValue(0);
    assertThat(p.isAlive()).isFalse();
    StepVerifier.create(p.onExit()).expectNext(0).expectComplete().verify(WAIT);
  }

  @Test
  void freshJvm_resultMeansTheJvmHasExited() {
    ZProcess<Long> p = ctx.process(state -> 5L, ProcessOptions.defaults().freshJvm());
    assertThat(p.result().block(WAIT)).isEqualTo(5L);
    assertThat(p.exitCode()).hasValue(0);
    assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive))
        .isNotEqualTo(Optional.of(true));
  }

  @Test
  void onExit_emitsTheStatus_beforeAnyoneAsksForTheResult() {
    ZProcess<String> p = ctx.process(state -> "done");
    StepVerifier.create(p.onExit()).expectNext(0).expectComplete().verify(WAIT);
    assertThat(p.isAlive()).isFalse();
    assertThat(p.result().block(WAIT)).isEqualTo("done");
    ZProcess<Object> failing =
        ctx.process(
            state -> {
              throw new IllegalStateException("no");
            });
    StepVerifier.create(failing.onExit()).expectNext(1).expectComplete().verify(WAIT);
  }

  @Test
  void process_capturedValuesAreArguments() {
    int base = 40;
    String suffix = "!";
    assertThat(ctx.process(state -> (base + 2) + suffix).result().block(WAIT)).isEqualTo("42!");
  }

  @Test
  void process_taskThrows_failsWithRemoteCauseChain() {
    ZProcess<Object> p =
        ctx.process(
            state -> {
              throw new IllegalStateException("outer", new IOException("inner"));
            });
    StepVerifier.create(p.result())
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ProcessFailedException.class);
              assertThat(((ProcessFailedException) e).exitCode()).isEqualTo(1);
              RemoteException remote = (RemoteException) e.getCause();
              assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
              assertThat(remote.remoteMessage()).isEqualTo("outer");
              assertThat(remote.causeChain())
                  .containsExactly("java.lang.IllegalStateException", "java.io.IOException");
              assertThat(remote.getStackTrace()).isNotEmpty();
            })
        .verify(WAIT);
  }

  @Test
  void processExit_endsWithStatus() {
    ZProcess<Object> three =
        ctx.process(
            state -> {
              throw new ProcessExit(3);
            });
    StepVerifier.create(three.result())
        .expectErrorSatisfies(e -> assertThat(((ProcessFailedException) e).exitCode()).isEqualTo(3))
        .verify(WAIT);
    assertThat(three.exitCode()).hasValue(3);
    assertThat(three.onExit().block(WAIT)).isEqualTo(3);
    ZProcess<Object> zero =
        ctx.process(
            state -> {
              throw new ProcessExit(0);
            });
    StepVerifier.create(zero.result()).expectComplete().verify(WAIT);
  }

  @Test
  void process_capturingContext_failsAtOnceNamingIt() {
    ZProc captured = ctx;
    assertThatThrownBy(() -> ctx.process(state -> captured.address()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("io.zproc.internal.client.ClientContext")
        .hasMessageContaining("processWithContext");
  }

  @Test
  void timeout_isReactors_childKeepsRunning_stopEndsIt() {
    ZProcess<String> sleeper =
        ctx.process(
            state -> {
              Thread.sleep(60_000);
              return "late";
            });
    long started = System.nanoTime();
    StepVerifier.create(sleeper.result().timeout(Duration.ofMillis(500)))
        .expectError(TimeoutException.class)
        .verify(WAIT);
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(tookMillis).isBetween(450L, 700L);
    assertThat(sleeper.isAlive()).isTrue();
    Integer code = sleeper.stop().block(WAIT);
    assertThat(code).isNotZero();
    assertThat(sleeper.isAlive()).isFalse();
    StepVerifier.create(sleeper.result()).expectError(ProcessFailedException.class).verify(WAIT);
  }

  @Test
  void processWithContext_childGetsItsOwnContext() {
    ZProcess<String> p =
        ctx.processWithContext(
            child -> {
              child.state().put("ctx-child", child.namespace()).block();
              return child.address();
            });
    assertThat(p.result().block(WAIT)).isEqualTo(ctx.address());
    assertThat(ctx.state().get("ctx-child").block()).isEqualTo("procs");
  }

  @Test
  void processFactory_waitAll_inStartOrder() {
    try (ZProc local = ZProc.start()) {
      List<ZProcess<Integer>> started =
          local.processFactory(3, state -> state.increment("n", 1).block().intValue());
      assertThat(local.processes()).containsExactlyElementsOf(started);
      List<Object> results = local.waitAll().block(WAIT);
      assertThat(results).hasSize(3).containsExactlyInAnyOrder(1, 2, 3);
      assertThat(local.state().get("n").block()).isEqualTo(3);
    }
  }

  @Test
  void waitAll_errorsIfAnyFailed() {
    try (ZProc local = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      local.process(state -> 1, ProcessOptions.defaults().backend(Backend.THREAD));
      local.process(
          state -> {
            throw new IllegalStateException("boom");
          },
          ProcessOptions.defaults().backend(Backend.THREAD));
      StepVerifier.create(local.waitAll()).expectError(ProcessFailedException.class).verify(WAIT);
    }
  }

  @Test
  void retries_reRunTaskOnListedExceptions() {
    State state = ctx.state("retries");
    ZProcess<Long> p =
        ctx.process(
            s -> {
              long attempt = s.namespace("retries").increment("attempts", 1).block();
              if (attempt < 3) {
                throw new IOException("flaky " + attempt);
              }
              return attempt;
            },
            ProcessOptions.defaults()
                .retryFor(IOException.class)
                .retryDelay(Duration.ofMillis(10))
                .maxRetries(5));
    assertThat(p.result().block(WAIT)).isEqualTo(3L);
    assertThat(state.get("attempts").block()).isEqualTo(3);
  }

  @Test
  void childOutput_showsUpInParentsStreams() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ctx.process(
              state -> {
                System.out.print("no newline before the result");
                System.out.println();
                System.out.println("hello from the child");
                return 1;
              })
          .result()
          .block(WAIT);
      await()
          .atMost(WAIT)
          .until(() -> captured.toString(StandardCharsets.UTF_8).contains("hello from the child"));
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("no newline before the result")
        .doesNotContain("ZP:");
  }

  @Test
  void callWhenChange_cookieEater_reactsToBakerNotItself() {
    State baker = ctx.state("bakery");
    baker.put("cookies", 0).block();
    ZProcess<Void> eater =
        ctx.callWhenChange(
            (snapshot, state) -> {
              State bakery = state.namespace("bakery");
              int cookies = ((Number) snapshot.get("cookies")).intValue();
              if (cookies >= 3) {
                throw new ProcessExit(0);
              }
              // eating changes "cookies" too, but that does not wake this eater
              state.put("cookies", -cookies).block();
              bakery.increment("eaten", 1).block();
            },
            "cookies");
    // the eater watches the context's namespace: bake there
    State kitchen = ctx.state();
    for (int i = 1; i <= 3; i++) {
      kitchen.put("cookies", i).block();
    }
    StepVerifier.create(eater.result()).expectComplete().verify(WAIT);
    assertThat(baker.get("eaten").block()).isEqualTo(2);
  }

  @Test
  void jvmOptionsAndEnvironment_reachTheChild() {
    ZProcess<String> p =
        ctx.process(
            state -> System.getProperty("zproc.test.prop") + "/" + System.getenv("ZPROC_TEST_ENV"),
            ProcessOptions.defaults()
                .jvmOptions("-Dzproc.test.prop=from-options")
                .environment("ZPROC_TEST_ENV", "from-env"));
    assertThat(p.result().block(WAIT)).isEqualTo("from-options/from-env");
  }

  @Test
  void capturingNonSerializable_namesTheClass() {
    Object lock = new Object();
    assertThatThrownBy(() -> ctx.process(state -> lock.hashCode()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object")
        .hasMessageContaining("not serializable");
  }

  @Test
  void threadBackend_sameSemantics() {
    ZProcess<Long> p =
        ctx.process(
            state -> state.increment("thread-n", 2).block(),
            ProcessOptions.defaults().backend(Backend.THREAD));
    assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(p.result().block(WAIT)).isEqualTo(2L);
    assertThat(p.exitCode()).hasValue(0);
    assertThat(p.isAlive()).isFalse();
    assertThat(p.onExit().block(WAIT)).isZero();
    ZProc captured = ctx;
    assertThatThrownBy(
            () ->
                ctx.process(
                    state -> captured.namespace(),
                    ProcessOptions.defaults().backend(Backend.THREAD)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callWhenVariants_eachCallsBackWhenItsConditionHolds() {
    State state = ctx.state();
    state.put("w3", "idle").block(WAIT);
    state.put("w4", 1).block(WAIT);
    ZProcess<Void> when =
        ctx.callWhen(
            snapshot -> ((Number) snapshot.getOrDefault("w1", 0)).intValue() >= 2,
            (snapshot, s) -> {
              s.put("w1-seen", snapshot.get("w1")).block();
              throw new ProcessExit(0);
            });
    ZProcess<Void> equal =
        ctx.callWhenEqual(
            "w2",
            "go",
            (snapshot, s) -> {
              s.put("w2-seen", snapshot.get("w2")).block();
              throw new ProcessExit(0);
            });
    ZProcess<Void> notEqual =
        ctx.callWhenNotEqual(
            "w3",
            "idle",
            (snapshot, s) -> {
              s.put("w3-seen", snapshot.get("w3")).block();
              throw new ProcessExit(0);
            });
    ZProcess<Void> none =
        ctx.callWhenNone(
            "w4",
            (snapshot, s) -> {
              s.put("w4-seen", snapshot.containsKey("w4") && snapshot.get("w4") == null).block();
              throw new ProcessExit(0);
            });
    ZProcess<Void> notNone =
        ctx.callWhenNotNone(
            "w5",
            (snapshot, s) -> {
              s.put("w5-seen", snapshot.get("w5")).block();
              throw new ProcessExit(0);
            });
    ZProcess<Void> available =
        ctx.callWhenAvailable(
            "w6",
            (snapshot, s) -> {
              s.put("w6-seen", snapshot.get("w6")).block();
              throw new ProcessExit(0);
            });
    // changes that do not meet the conditions first, then the ones that do
    state.put("w1", 1).block(WAIT);
    state.put("w2", "wait").block(WAIT);
    state.put("w5", null).block(WAIT);
    state.put("w1", 2).block(WAIT);
    state.put("w2", "go").block(WAIT);
    state.put("w3", "busy").block(WAIT);
    state.put("w4", null).block(WAIT);
    state.put("w5", "x").block(WAIT);
    state.put("w6", 7).block(WAIT);
    for (ZProcess<Void> p : List.of(when, equal, notEqual, none, notNone, available)) {
      StepVerifier.create(p.result()).expectComplete().verify(WAIT);
      assertThat(p.exitCode()).hasValue(0);
    }
    assertThat(state.get("w1-seen").block()).isEqualTo(2);
    assertThat(state.get("w2-seen").block()).isEqualTo("go");
    assertThat(state.get("w3-seen").block()).isEqualTo("busy");
    assertThat(state.get("w4-seen").block()).isEqualTo(true);
    assertThat(state.get("w5-seen").block()).isEqualTo("x");
    assertThat(state.get("w6-seen").block()).isEqualTo(7);
  }

  @Test
  void processFactory_withOptions_eachChildGetsThem() {
    List<ZProcess<String>> started =
        ctx.processFactory(
            2,
            state -> System.getProperty("zproc.factory"),
            ProcessOptions.defaults().jvmOptions("-Dzproc.factory=yes"));
    assertThat(started).hasSize(2);
    for (ZProcess<String> p : started) {
      assertThat(p.result().block(WAIT)).isEqualTo("yes");
    }
  }

  @Test
  void processMap_insideAProcessWithContext_runsInGrandchildren() {
    ZProcess<List<Integer>> p =
        ctx.processWithContext(
            child ->
                child
                    .processMap(
                        List.of(1, 2, 3), (Integer i) -> i * 10, MapOptions.defaults().count(1))
                    .collectList()
                    .block());
    assertThat(p.result().block(WAIT)).containsExactly(10, 20, 30);
  }

  @Test
  void jvmOptions_aCollectorOfTheUsersReplacesTheBuiltInOne() {
    ZProcess<String> p =
        ctx.process(
            state ->
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
                    .get(0)
                    .getName(),
            ProcessOptions.defaults().jvmOptions("-XX:+UseParallelGC"));
    assertThat(p.result().block(WAIT)).startsWith("PS ");
  }

  @Test
  void jvmOptions_refusedByTheJvm_theErrorShowsWhatItSaid() {
    String message;
    try {
      ZProcess<Integer> p =
          ctx.process(state -> 1, ProcessOptions.defaults().jvmOptions("-XX:+NoSuchZprocFlag"));
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(() -> p.result().block(WAIT));
      assertThat(failure).isInstanceOf(ProcessFailedException.class);
      assertThat(p.exitCode()).isPresent();
      message = failure.getMessage();
    } catch (ZProcException e) { // the JVM was gone before it could read its task
      message = e.getMessage();
    }
    assertThat(message).contains("Unrecognized VM option 'NoSuchZprocFlag'");
  }

  @Test
  void stopAll_endsEveryRunningProcess() {
    try (ZProc local = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      List<ZProcess<Integer>> sleepers =
          local.processFactory(
              2,
              state -> {
                Thread.sleep(60_000);
                return 1;
              });
      local.stopAll().block(WAIT);
      for (ZProcess<Integer> p : sleepers) {
        assertThat(p.isAlive()).isFalse();
        assertThat(p.exitCode()).isPresent();
        StepVerifier.create(p.result()).expectError(ProcessFailedException.class).verify(WAIT);
      }
    }
  }

  @Test
  void defaultChild_computesAtFullSpeed_leanIsAnOption() {
    ProcessTask<String> flags =
        state ->
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().get(0).getName()
                + " "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    String full = ctx.process(flags).result().block(WAIT);
    assertThat(full).startsWith("PS ").doesNotContain("TieredStopAtLevel", "-Xss256k", "-Xms4m");
    String lean = ctx.process(flags, ProcessOptions.defaults().lean()).result().block(WAIT);
    assertThat(lean)
        .doesNotStartWith("PS ")
        .contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    // the user's flag of a kind still replaces the lean one
    String leanG1 =
        ctx.process(flags, ProcessOptions.defaults().lean().jvmOptions("-XX:+UseG1GC"))
            .result()
            .block(WAIT);
    assertThat(leanG1).startsWith("G1 ").contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void sparePool_growsWhenStartsFindNoReadySpare() {
    try (ZProc local = ZProc.start(ZProcOptions.defaults().spareProcesses(1))) {
      assertThat(ContextProbe.spareTarget(local)).isEqualTo(1);
      for (ZProcess<Integer> p : local.processFactory(3, state -> 1)) {
        assertThat(p.result().block(WAIT)).isEqualTo(1);
      }
      // the first start found the pool not yet filled, the next ones found it empty
      assertThat(ContextProbe.spareTarget(local)).isGreaterThan(1).isLessThanOrEqualTo(8);
      await().atMost(WAIT).until(() -> ContextProbe.sparePids(local).size() >= 2);
    }
  }
}
