package io.zproc.internal.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import io.zproc.internal.client.ContextProbe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A spare warms up in a namespace of its own while it waits, only against a server on this host,
 * and a task that arrives meanwhile runs at once in that spare, which then clears its warm-up keys.
 */
class SpareWarmUpTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

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
      assertThat(ctx.process(s -> 1).result().block(WAIT)).isEqualTo(1);
      await().atMost(WAIT).until(() -> !ContextProbe.sparePids(ctx).isEmpty());
      long pid = ContextProbe.sparePids(ctx).get(0);
      State warm = ctx.state(SpareWarmUp.NAMESPACE);
      String rounds = "p" + pid + ".n";
      await()
          .atMost(WAIT)
          .until(() -> warm.get(rounds).block(WAIT) instanceof Number n && n.longValue() >= 20);

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
}
