package io.zproc.examples.guide;

import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;

/**
 * The guide's "Process Factory": launches several processes running the same task at once, then
 * waits for all of them ({@code ctx.waitAll()}, the original's {@code ctx.wait_all()}).
 *
 * <pre>
 * def worker(state):
 *     sleep(5)
 *     return 'Task Complete!'
 *
 * ctx.process_factory(worker, count=10)
 * </pre>
 */
public final class ProcessFactoryExample {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private ProcessFactoryExample() {}

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      long started = System.nanoTime();
      // The original starts 10 workers that sleep 5 s; 4 workers that sleep 200 ms keep this
      // example quick (each worker is a JVM: about half a second of CPU to start).
      List<ZProcess<String>> workers =
          ctx.processFactory(
              4,
              state -> {
                Thread.sleep(200);
                state.increment("completed", 1).block();
                return "Task Complete!";
              });
      System.out.println("process_factory launched " + workers.size() + " workers");
      List<Object> results = ctx.waitAll().block(WAIT); // results in start order
      System.out.println("waitAll: " + results);
      System.out.printf(
          "%d workers completed (the state counted %s) in %d ms%n",
          results.size(),
          ctx.state().get("completed").block(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }
}
