package io.zproc;

import java.time.Duration;
import java.util.List;

/**
 * A user's program started by {@link ChildConnectionTest} with its own {@code java.io.tmpdir} and
 * working directory: a process, a context process and a processMap must all connect.
 */
public final class OtherDirsMain {
  private OtherDirsMain() {}

  public static void main(String[] args) {
    Duration wait = Duration.ofSeconds(60);
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      Long a = ctx.process(state -> state.increment("n", 1).block()).result().block(wait);
      Long b =
          ctx.processWithContext(child -> child.state().increment("n", 1).block())
              .result()
              .block(wait);
      List<Integer> mapped =
          ctx.processMap(List.of(1, 2), (Integer i) -> i + 1, MapOptions.defaults().count(1))
              .collectList()
              .block(wait);
      System.out.println(
          "OK " + a + " " + b + " " + mapped + " " + System.getProperty("java.io.tmpdir"));
    }
  }
}
