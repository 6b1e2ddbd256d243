package io.zproc.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.ProcessOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import io.zproc.internal.client.ContextProbe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spare warms up in a namespace of its own while it waits, only against a server on this host,
 * and a task that arrives meanwhile runs at once in that spare (the pool hands out a spare that
 * warmed up first), which then clears its warm-up keys.
 */
class SpareWarmUpTest {
  // a spare warms up on idle cycles only: on a shared, busy machine that can take a while
  private static final Duration WAIT = Duration.ofSeconds(150);

  @Test
  void local_acceptsSocketsAndLoopbackOnly() {
    assertThat(SpareWarmUp.local("unix:///tmp/zproc-0/s.sock")).isTrue();
    assertThat(SpareWarmUp.local("local:test")).isTrue();
    assertThat(SpareWarmUp.local("tcp://127.0.0.1:4000")).isTrue();
    assertThat(SpareWarmUp.local("tcp://localhost:4000")).isTrue();
    assertThat(SpareWarmUp.local("tcp://[::1]:4000")).isTrue();
    assertThat(SpareWarmUp.local("ws://127.0.0.1:4000/zproc")).isTrue();
    assertThat(SpareWarmUp.local("tcp://10.1.2.3:4000")).isFalse();
    assertThat(SpareWarmUp.local("tcp://state.example.com:4000")).isFalse();
    assertThat(SpareWarmUp.local("not an address")).isFalse();
  }

  @Test
  void spare_warmsUpInItsOwnNamespace_andATaskInterruptsIt() {
    try (ZProc ctx = ZProc.start()) {
      // a JVM of its own, which ends with it: the pool then holds the configured spare alone
      assertThat(ctx.process(s -> 1, ProcessOptions.defaults().freshJvm()).result().block(WAIT))
          .isEqualTo(1);
      State warm = ctx.state(SpareWarmUp.NAMESPACE);
      long pid = awaitWarming(ctx, warm);
      assertThat(ContextProbe.sparePids(ctx)).containsExactly(pid);
      String rounds = "p" + pid + ".n";

      ZProcess<List<Object>> task =
          ctx.process(s -> List.of(ProcessHandle.current().pid(), s.size().block()));
      List<Object> result = task.result().block(WAIT);
      assertThat(result).isNotNull();
      assertThat(((Number) result.get(0)).longValue())
          .as("the task ran in the spare")
          .isEqualTo(pid);
      assertThat(result.get(1)).as("the task's namespace holds no warm-up keys").isEqualTo(0);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  warm.get(rounds).block(WAIT) == null
                      && warm.get("p" + pid + ".k").block(WAIT) == null);
    }
  }

  @Test
  void aJvmBackFromItsTask_warmsUpInTheConfiguredSparesPlace() {
    try (ZProc ctx = ZProc.start()) {
      ZProcess<Integer> first = ctx.process(s -> 1);
      assertThat(first.result().block(WAIT)).isEqualTo(1);
      State warm = ctx.state(SpareWarmUp.NAMESPACE);
      long pid = awaitWarming(ctx, warm);
      List<Long> pool = ContextProbe.sparePids(ctx);
      if (pool.equals(List.of(first.pid()))) {
        // its JVM came back before a spare was booted (the usual case): it warms up instead
        assertThat(pid).isEqualTo(first.pid());
      } else {
        // a spare was booted while the first JVM booted (a slow boot): that one warms, not both
        assertThat(pool).contains(first.pid(), pid);
        assertThat(warm.get("p" + first.pid() + ".n").block(WAIT)).isNull();
      }
    }
  }

  /** The pid of the pool's JVM that has run at least 20 warm-up rounds, once one has. */
  private static long awaitWarming(ZProc ctx, State warm) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              for (long p : ContextProbe.sparePids(ctx)) {
                if (warm.get("p" + p + ".n").block(WAIT) instanceof Number n
                    && n.longValue() >= 20) {
                  return p;
                }
              }
              return -1L;
            },
            p -> p > 0);
  }
}
