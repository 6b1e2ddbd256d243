package io.zproc.examples;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.Map;

/**
 * The original's {@code chain_reaction.py}: a chain reaction to one state change. The first child
 * waits for {@code foo} to change; when the parent sets it, the child wakes and sets {@code foo} to
 * {@code bar}, which wakes the second child, which waits for {@code foo == "bar"}. No process
 * polls, and none tells another what to do: each reacts to the state.
 *
 * <pre>
 * def child1(state):
 *     val = state.when_change("foo")
 *     state["foo"] = "bar"
 *
 * def child2(state):
 *     state.when(lambda s: s.get("foo") == "bar")
 *
 * ctx.spawn(child1, child2)
 * ctx.state["foo"] = "foobar"
 * </pre>
 *
 * <p>Where the original sleeps a second so that its children are up before it sets {@code foo},
 * here each child counts itself {@code ready} and the parent waits for both with {@code whenEqual}.
 */
public final class ChainReaction {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ChainReaction() {}

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
   * Runs the example in the context's namespace, resetting the keys it uses ({@code foo}, {@code
   * ready}) first, and prints each link of the chain. Blocks the calling thread until both children
   * have ended (at most a minute each).
   *
   * @param ctx the context whose namespace and processes are used; left open
   */
  public static void run(ZProc ctx) {
    State state = ctx.state();
    state.putAll(Map.of("foo", "", "ready", 0)).block();

    ZProcess<String> child1 =
        ctx.process(
            s -> {
              s.increment("ready", 1).block();
              Snapshot val = s.whenChange("foo").block(); // wait for foo to change
              System.out.println("child1: foo changed, so I wake, now foo = " + val.get("foo"));
              s.put("foo", "bar").block();
              System.out.println("child1: I set foo to bar");
              System.out.println("child1: I exit");
              return (String) val.get("foo");
            });
    ZProcess<String> child2 =
        ctx.process(
            s -> {
              s.increment("ready", 1).block();
              Snapshot val = s.when(snap -> "bar".equals(snap.get("foo"))).block();
              System.out.println("child2: foo changed to bar, so I wake");
              System.out.println("child2: I exit");
              return (String) val.get("foo");
            });

    state.whenEqual("ready", 2).block(WAIT);
    state.put("foo", "foobar").block();
    System.out.println("main: I set foo to foobar");

    System.out.println("main: child1 woke to foo = " + child1.result().block(WAIT));
    System.out.println("main: child2 woke to foo = " + child2.result().block(WAIT));
    System.out.println("main: foo is now " + state.get("foo").block());
    System.out.println("main: I exit");
  }
}
