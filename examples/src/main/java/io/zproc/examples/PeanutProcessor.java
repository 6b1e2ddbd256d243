package io.zproc.examples;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The original's {@code peanut_processor.py}: a producer and a consumer coordinated through the
 * state, and the three ways a consumer can read a stream of changes that comes faster than it
 * works. A child JVM makes a peanut every 20 ms; the parent consumes one every 60 ms:
 *
 * <ul>
 *   <li><b>live</b> ({@link State#live()}): each wait sees only peanuts made after it began, so the
 *       consumer gets the latest and skips those made while it was busy;
 *   <li><b>buffered</b> (the default): each wait returns the next change after the last one this
 *       client saw, so the consumer gets every peanut, in order, falling behind;
 *   <li><b>hybrid</b>: a buffered wait, then {@link State#goLive()} to drop the backlog: the next
 *       peanut after the one in hand, then the latest.
 * </ul>
 *
 * <pre>
 * &#64;ctx._process
 * def peanut_gen(state):
 *     while True:
 *         inc_peanuts(state)
 *         sleep(1)
 *
 * for _ in range(10):
 *     num = state.when_change("peanuts", live=True)      # then live=False, then go_live()
 *     sleep(2)
 * </pre>
 */
public final class PeanutProcessor {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int ROUNDS = 5;
  private static final long PRODUCE_MS = 20;
  private static final long CONSUME_MS = 60;

  private PeanutProcessor() {}

  /**
   * Runs the example on an embedded server of its own.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while consuming
   */
  public static void main(String[] args) throws InterruptedException {
    try (ZProc ctx = ZProc.start()) {
      run(ctx);
    }
  }

  /**
   * Runs the example in the context's namespace, resetting the keys it uses ({@code peanuts},
   * {@code stop}) first, and prints what each consumer got. Blocks the calling thread for about a
   * second, and until the producer has stopped (at most a minute).
   *
   * @param ctx the context whose namespace and processes are used; left open
   * @throws InterruptedException if interrupted while consuming
   */
  public static void run(ZProc ctx) throws InterruptedException {
    // A client of its own: its cursor (for the buffered waits) starts now.
    State state = ctx.state(ctx.namespace());
    state.put("stop", false).then(state.put("peanuts", 0)).block();

    ZProcess<Long> producer =
        ctx.process(
            s -> {
              long peanuts = 0;
              while (!Boolean.TRUE.equals(s.get("stop").block())) {
                peanuts = s.increment("peanuts", 1).block();
                System.out.println("PEANUT GEN: " + peanuts);
                Thread.sleep(PRODUCE_MS);
              }
              return peanuts;
            });

    System.out.println("\nConsuming LIVE events:\n");
    List<Long> live = consume("live", state.live(), ROUNDS, false);

    System.out.println("\nConsuming non-LIVE events:\n");
    List<Long> buffered = consume("non-live", state, ROUNDS, false);

    System.out.println("\nConsuming a hybrid of LIVE and non-LIVE events:\n");
    List<Long> hybrid = consume("hybrid", state, ROUNDS, true);

    state.put("stop", true).block();
    long made = producer.result().block(WAIT);
    System.out.println("\nthe producer made " + made + " peanuts");
    System.out.println("live consumer:     " + live + " (the latest each time: skips)");
    System.out.println("non-live consumer: " + buffered + " (every one, in order: falls behind)");
    System.out.println("hybrid consumer:   " + hybrid + " (the next one, then the latest)");
  }

  private static List<Long> consume(String name, State state, int rounds, boolean goLive)
      throws InterruptedException {
    List<Long> got = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long num = ((Number) state.whenChange("peanuts").block(WAIT).get("peanuts")).longValue();
      System.out.println(name + " consumer got: " + num);
      got.add(num);
      if (goLive) {
        state.goLive().block();
      }
      Thread.sleep(CONSUME_MS); // busy with the peanut
    }
    return got;
  }
}
