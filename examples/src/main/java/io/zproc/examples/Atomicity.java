package io.zproc.examples;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The original's {@code atomicity.py}: processes that increment one counter at the same time. A
 * read-modify-write made of a {@code get} and a {@code put} loses updates under contention (two
 * processes read the same value and both write it plus one); the same increment inside {@link
 * State#atomic} loses none, because a task whose state changed meanwhile is re-run on a fresh copy.
 *
 * <pre>
 * &#64;zproc.atomic
 * def increment(snap):
 *     count = snap["count"]
 *     sleep(random())
 *     snap["count"] = count + 1
 *
 * ctx.spawn(child1, count=10)
 * </pre>
 *
 * <p>Here 3 child JVMs each increment 20 times, first without and then with {@code atomic}, with a
 * random pause of 1 to 3 ms between the read and the write (the original sleeps up to a second).
 * The children start together: each says it is ready and waits for {@code go}.
 */
public final class Atomicity {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int PROCESSES = 3;
  private static final int INCREMENTS = 20;

  private Atomicity() {}

  /**
   * Runs the example on an embedded server of its own.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      run(ctx);
    }
  }

  /**
   * Runs the example in the context's namespace, resetting the keys it uses ({@code unsafe}, {@code
   * safe}, {@code ready}, {@code go}) first, and prints the counts. Blocks the calling thread until
   * its processes have ended (at most a minute each).
   *
   * @param ctx the context whose namespace and processes are used; left open
   */
  public static void run(ZProc ctx) {
    State state = ctx.state();
    state.putAll(Map.of("unsafe", 0, "safe", 0, "ready", 0, "go", false)).block();

    List<ZProcess<Integer>> workers =
        ctx.processFactory(
            PROCESSES,
            s -> {
              s.increment("ready", 1).block();
              s.whenEqual("go", true).block(); // all start together

              // Not atomic: another process may write between this get and this put.
              for (int i = 0; i < INCREMENTS; i++) {
                int count = s.get("unsafe", Integer.class).block();
                pause();
                s.put("unsafe", count + 1).block();
              }

              // Atomic: the task runs on a copy; if "safe" changed meanwhile, it runs again.
              int[] runs = {0};
              for (int i = 0; i < INCREMENTS; i++) {
                s.atomic(
                        snap -> {
                          runs[0]++;
                          int count = (Integer) snap.get("safe");
                          pause();
                          snap.put("safe", count + 1);
                          return count + 1;
                        })
                    .block();
              }
              return runs[0];
            });

    state.whenEqual("ready", PROCESSES).block(WAIT);
    System.out.println(
        PROCESSES + " processes are ready; each increments " + INCREMENTS + " times");
    state.put("go", true).block();

    int runs = 0;
    for (ZProcess<Integer> worker : workers) {
      runs += worker.result().block(WAIT);
    }
    int expected = PROCESSES * INCREMENTS;
    int unsafe = state.get("unsafe", Integer.class).block();
    int safe = state.get("safe", Integer.class).block();
    System.out.println(
        "get + put:  unsafe = "
            + unsafe
            + " of "
            + expected
            + " ("
            + (expected - unsafe)
            + " lost)");
    System.out.println(
        "atomic:     safe = " + safe + " of " + expected + " (" + (expected - safe) + " lost)");
    System.out.println(
        "the atomic tasks ran "
            + runs
            + " times for "
            + safe
            + " commits: a task may run more than once, so it must not have other side effects");
  }

  private static void pause() throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 4));
  }
}
