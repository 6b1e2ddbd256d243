package io.zproc.examples;

import io.zproc.ProcessExit;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.Map;

/**
 * The original's cookie eater ({@code call_when_change}): an eater process reacts to each cookie
 * the baker bakes, and eats it. Its own eating changes {@code cookies} too, but a process is not
 * woken by its own changes, so it eats exactly what the baker bakes. It ends with {@link
 * ProcessExit} when the baker closes the shop.
 *
 * <pre>
 * &#64;zproc.atomic
 * def eat_cookie(snap):
 *     snap["cookies"] -= 1
 *     print("nom nom nom")
 *
 * &#64;zproc.atomic
 * def bake_cookie(snap):
 *     snap["cookies"] += 1
 *     print("Here's a cookie!")
 *
 * &#64;ctx.call_when_change('cookies')
 * def cookie_eater(_, state):
 *     eat_cookie(state)
 *
 * for i in range(5):
 *     bake_cookie(state)
 * </pre>
 */
public final class CookieEater {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int BATCH = 5;

  private CookieEater() {}

  /**
   * Runs the example on an embedded server of its own.
   *
   * @param args ignored
   * @throws InterruptedException if interrupted while baking
   */
  public static void main(String[] args) throws InterruptedException {
    try (ZProc ctx = ZProc.start()) {
      run(ctx);
    }
  }

  /**
   * Runs the example in the context's namespace, resetting the keys it uses ({@code cookies},
   * {@code shop}, {@code eaterWakes}) first; prints what happens. Blocks the calling thread until
   * the eater has ended (at most a minute).
   *
   * @param ctx the context whose namespace and processes are used; left open
   * @throws InterruptedException if interrupted while baking
   */
  public static void run(ZProc ctx) throws InterruptedException {
    State baker = ctx.state();
    baker.putAll(Map.of("cookies", 0, "eaterWakes", 0, "shop", "open")).block();

    // @ctx.call_when_change('cookies'): one child process, calling back on every change to
    // "cookies" (or "shop") made by another client. Buffered: no bake is missed, even those
    // made before the child JVM is up.
    ZProcess<Void> eater =
        ctx.callWhenChange(
            (snapshot, state) -> {
              state.increment("eaterWakes", 1).block(); // an unwatched key
              if ("closed".equals(snapshot.get("shop"))) {
                System.out.println("[eater] the shop is closed: bye");
                throw new ProcessExit(0);
              }
              state.increment("cookies", -1).block(); // eat_cookie: does not wake this eater
              System.out.println("[eater] nom nom nom");
            },
            "cookies",
            "shop");

    for (int i = 0; i < BATCH; i++) {
      baker.increment("cookies", 1).block(); // bake_cookie
      System.out.println("[baker] Here's a cookie!");
      Thread.sleep(20);
    }
    baker.put("shop", "closed").block();

    boolean normalEnd = eater.result().blockOptional(WAIT).isEmpty(); // ProcessExit(0): empty
    System.out.println("the eater ended with ProcessExit(0): " + normalEnd);
    System.out.println("cookies left: " + baker.get("cookies").block());
    System.out.println(
        "the eater woke "
            + baker.get("eaterWakes").block()
            + " times: "
            + BATCH
            + " bakes and the shop closing; its own "
            + BATCH
            + " bites woke it 0 times");
  }
}
