package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
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
    await().atMost(WAIT).until(() -> p.exitCode().isPresent());
    assertThat(p.exitCode().getAsInt()).isZero();
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void process_childExitsOnceItsResultIsAcknowledged() {
    ZProcess<String> p = ctx.process(state -> "done");
    assertThat(p.result().block(WAIT)).isEqualTo("done");
    // The parent acknowledges the result as it arrives; the child then exits without waiting for
    // its own threads. Had the acknowledgement been lost, the child would wait 10 s for it.
    await().atMost(Duration.ofSeconds(5)).until(() -> p.exitCode().isPresent());
    assertThat(p.exitCode().getAsInt()).isZero();
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
    await().atMost(WAIT).until(() -> three.exitCode().isPresent());
    assertThat(three.exitCode().getAsInt()).isEqualTo(3);
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
        .hasMessageContaining("io.zproc.internal.client.Context")
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
    ZProc captured = ctx;
    assertThatThrownBy(
            () ->
                ctx.process(
                    state -> captured.namespace(),
                    ProcessOptions.defaults().backend(Backend.THREAD)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
