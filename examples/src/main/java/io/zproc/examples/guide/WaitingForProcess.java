package io.zproc.examples.guide;

import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;

/**
 * The guide's "Waiting for a Process": the sleeper. Python's {@code my_process.wait()} is {@code
 * process.result().block()} here.
 *
 * <pre>
 * def sleeper(state):
 *     sleep(5)
 *     return 'Hello There!'
 *
 * my_process = ctx.process(sleeper)
 * print(my_process.wait())   # Hello There!
 * </pre>
 */
public final class WaitingForProcess {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private WaitingForProcess() {}

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      long started = System.nanoTime();
      // The original sleeps 5 s; 200 ms keeps this example quick. Blocking is fine in a task: it
      // has its own thread in its own JVM.
      ZProcess<String> myProcess =
          ctx.process(
              state -> {
                Thread.sleep(200);
                return "Hello There!";
              });
      System.out.println("started the sleeper (pid " + myProcess.pid() + "), waiting for it");
      String result = myProcess.result().block(WAIT); // my_process.wait()
      System.out.println(result); // Hello There!
      System.out.printf(
          "the sleeper returned after %d ms (the child JVM's start included)%n",
          (System.nanoTime() - started) / 1_000_000);
      // To wait at most some time, use Reactor: myProcess.result().timeout(Duration.ofSeconds(1))
      // errors after 1 s and leaves the process running; myProcess.stop() ends it.
    }
  }
}
