package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.internal.client.ContextProbe;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * A child JVM whose task returned and left the JVM as it found it runs the context's next task; one
 * whose task left something behind, or that was asked to be fresh, ends with its process. One
 * context for the class: each test starts with the JVM a previous process left in the pool, or a
 * spare.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JvmReuseTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private ZProc ctx;

  /** Set by a task in its JVM; seen by the next task only if that runs in the same JVM. */
  static final AtomicReference<String> LEFT_BEHIND = new AtomicReference<>();

  @BeforeAll
  void start() {
    ctx = ZProc.start(ZProcOptions.defaults().namespace("reuse"));
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  private long pidOfAProcess() {
    ZProcess<Long> p = ctx.process(state -> ProcessHandle.current().pid());
    Long pid = p.result().block(WAIT);
    assertThat(pid).isEqualTo(p.pid());
    return pid;
  }

  @Test
  void aJvmThatReturned_runsTheNextTask_withWhatItsStaticsHold() {
    ZProcess<Long> first =
        ctx.process(
            state -> {
              LEFT_BEHIND.set("from the first task");
              return ProcessHandle.current().pid();
            });
    long pid = first.result().block(WAIT);
    // the process has ended, though its JVM lives on in the pool
    assertThat(first.exitCode()).hasValue(0);
    assertThat(first.isAlive()).isFalse();
    StepVerifier.create(first.onExit()).expectNext(0).expectComplete().verify(WAIT);
    StepVerifier.create(first.stop()).expectNext(0).expectComplete().verify(WAIT);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    ZProcess<String> second = ctx.process(state -> LEFT_BEHIND.get());
    assertThat(second.pid()).isEqualTo(pid);
    assertThat(second.result().block(WAIT)).isEqualTo("from the first task");
    assertThat(ContextProbe.processStats(ctx).reusedJvms()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void freshJvm_neverTakesAUsedJvm_andEndsItsJvmWithTheProcess() {
    long used = pidOfAProcess(); // now in the pool, first in line
    ZProcess<String> fresh =
        ctx.process(
            state -> String.valueOf(LEFT_BEHIND.get()), ProcessOptions.defaults().freshJvm());
    assertThat(fresh.pid()).isNotEqualTo(used);
    assertThat(fresh.result().block(WAIT)).isEqualTo("null");
    assertThat(ProcessHandle.of(fresh.pid()).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    // the used JVM is still there for a task that does not mind
    assertThat(pidOfAProcess()).isEqualTo(used);
  }

  @Test
  void aTaskThatLeavesAThreadRunning_endsItsJvm() {
    assertEndsItsJvm(
        state -> {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  },
                  "left-behind");
          t.start();
          return ProcessHandle.current().pid();
        });
  }

  @Test
  void aTaskThatSetsASystemProperty_endsItsJvm() {
    assertEndsItsJvm(
        state -> {
          System.setProperty("zproc.test.leftBehind", "yes");
          return ProcessHandle.current().pid();
        });
  }

  /** Runs a task that returns its pid, and checks that its JVM ends and the next task's differs. */
  private void assertEndsItsJvm(ProcessTask<Long> task) {
    long pid = ctx.process(task).result().block(WAIT);
    await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(pidOfAProcess()).isNotEqualTo(pid);
  }

  @Test
  void aTaskThatFailed_endsItsJvm() {
    ZProcess<Long> failing =
        ctx.process(
            state -> {
              state.put("failing-pid", ProcessHandle.current().pid()).block();
              throw new IllegalStateException("no");
            });
    StepVerifier.create(failing.result()).expectError(ProcessFailedException.class).verify(WAIT);
    long pid = failing.pid();
    await().atMost(WAIT).until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    assertThat(pidOfAProcess()).isNotEqualTo(pid);
  }

  @Test
  void whatATaskSubscribedTo_endsWithTheTask_whenItsJvmIsReused() {
    ZProcess<Long> subscriber =
        ctx.process(
            state -> {
              Disposable left =
                  state
                      .changes()
                      .filter(c -> c.keys().contains("tick"))
                      .concatMap(c -> state.increment("seen", 1))
                      .subscribe(v -> {}, e -> {});
              state.put("subscribed", true).block();
              return left.isDisposed() ? -1L : ProcessHandle.current().pid();
            });
    long pid = subscriber.result().block(WAIT);
    assertThat(pid).isPositive();
    for (int i = 0; i < 3; i++) {
      ctx.state().put("tick", i).block(WAIT);
    }
    // the JVM ran on: what its task subscribed to did not
    assertThat(pidOfAProcess()).isEqualTo(pid);
    assertThat(ctx.state().get("seen").block(WAIT)).isNull();
  }
}
