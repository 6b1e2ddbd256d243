package io.zproc.examples;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;

/**
 * The original's {@code luck_test.py}: processes draw random numbers into the state as fast as they
 * can, and a listener waits, with a predicate, for a number in a narrow range. The draw that lands
 * there wins: the listener sets {@code STOP}, and every drawer stops.
 *
 * <pre>
 * def num_listener(state, low, high):
 *     state.when(lambda state: low &lt; state.get("num") &lt; high)
 *     state["STOP"] = True
 *
 * ctx.spawn(num_listener, args=[0.6, 0.601])
 * while True:
 *     if state.get("STOP"):
 *         break
 *     state["num"] = random.random()
 * </pre>
 *
 * <p>Here the parent listens and 3 child JVMs draw (the original has one drawer, the parent, and a
 * listening child). {@link State#when} tests every state in order, however fast the drawers write,
 * so the listener sees each number drawn after it subscribed; the range is 1/200 wide.
 */
public final class LuckTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int DRAWERS = 3;
  private static final double LOW = 0.6;
  private static final double HIGH = 0.605;

  private LuckTest() {}

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
   * Runs the example in the context's namespace, resetting the keys it uses ({@code num}, {@code
   * drawer}, {@code drawers}, {@code STOP}) first, and prints the winner and each drawer's count.
   * Blocks the calling thread until every drawer has stopped (at most a minute each).
   *
   * @param ctx the context whose namespace and processes are used; left open
   */
  public static void run(ZProc ctx) {
    State state = ctx.state();
    state.putAll(Map.of("num", 0, "drawer", 0, "drawers", 0, "STOP", false)).block();

    // The listener subscribes before the drawers start: no lucky number goes unseen.
    Mono<Snapshot> listener =
        state
            .when(
                snap ->
                    snap.get("num") instanceof Number
                        && LOW < ((Number) snap.get("num")).doubleValue()
                        && ((Number) snap.get("num")).doubleValue() < HIGH)
            .cache();
    listener.subscribe();

    List<ZProcess<Integer>> drawers =
        ctx.processFactory(
            DRAWERS,
            s -> {
              long me = s.increment("drawers", 1).block();
              int draws = 0;
              while (!Boolean.TRUE.equals(s.get("STOP").block())) {
                double num = ThreadLocalRandom.current().nextDouble();
                s.putAll(Map.of("num", num, "drawer", me)).block();
                draws++;
              }
              System.out.println(
                  "drawer " + me + ": STOP was set to true after my " + draws + " draws: I exit");
              return draws;
            });

    Snapshot lucky = listener.block(WAIT);
    System.out.println(
        "listener: drawer "
            + lucky.get("drawer")
            + " drew "
            + lucky.get("num")
            + ", between "
            + LOW
            + " and "
            + HIGH
            + ", so I awake (version "
            + lucky.version()
            + ")");
    state.putAll(Map.of("STOP", true, "winner", lucky.get("drawer"))).block();
    System.out.println("listener: I set STOP to true");

    int total = 0;
    for (ZProcess<Integer> drawer : drawers) {
      total += drawer.result().block(WAIT);
    }
    System.out.println("all " + DRAWERS + " drawers stopped after " + total + " draws in total");
  }
}
