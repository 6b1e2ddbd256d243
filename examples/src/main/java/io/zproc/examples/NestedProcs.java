package io.zproc.examples;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;

/**
 * The original's {@code nested_procs.py}: a process that starts a process that starts a process. A
 * child that needs to start processes gets a context of its own with {@link
 * ZProc#processWithContext}: a {@code ZProc} connected to the same server (a context is never
 * shared across processes). Each level reads the message the level above left in the state and
 * leaves its own.
 *
 * <pre>
 * ctx.state["msg"] = "hello from level0"
 *
 * &#64;ctx._process
 * def child1(state):
 *     state["msg"] = "hello from level1"
 *     ctx = zproc.Context(state.address, wait=True)
 *
 *     &#64;ctx._process
 *     def child2(state):
 *         state["msg"] = "hello from level2"
 *         ctx = zproc.Context(state.address, wait=True)
 *
 *         &#64;ctx._process
 *         def child3(state):
 *             print("level3:", state)
 * </pre>
 */
public final class NestedProcs {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private NestedProcs() {}

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
   * Runs the example in the context's namespace, resetting the key it uses ({@code msg}) first, and
   * prints what each level sees. Blocks the calling thread until the three nested processes have
   * ended (at most a minute).
   *
   * @param ctx the context whose namespace and processes are used; left open
   */
  public static void run(ZProc ctx) {
    State state = ctx.state();
    state.put("msg", "hello from level0").block();
    System.out.println("level0: pid " + pid() + ", msg = " + state.get("msg").block());

    ZProcess<String> level1 =
        ctx.processWithContext(
            ctx1 -> {
              System.out.println(
                  "level1: pid " + pid() + ", msg = " + ctx1.state().get("msg").block());
              ctx1.state().put("msg", "hello from level1").block();

              ZProcess<String> level2 =
                  ctx1.processWithContext(
                      ctx2 -> {
                        System.out.println(
                            "level2: pid " + pid() + ", msg = " + ctx2.state().get("msg").block());
                        ctx2.state().put("msg", "hello from level2").block();

                        ZProcess<String> level3 =
                            ctx2.process(
                                s -> {
                                  System.out.println(
                                      "level3: pid " + pid() + ", msg = " + s.get("msg").block());
                                  return "level3 (pid " + pid() + ")";
                                });
                        return "level2 (pid " + pid() + ") <- " + level3.result().block(WAIT);
                      });
              return "level1 (pid " + pid() + ") <- " + level2.result().block(WAIT);
            });

    System.out.println("level0: level1 returned: " + level1.result().block(WAIT));
  }

  /** This JVM's process id, and its parent's. */
  private static String pid() {
    ProcessHandle me = ProcessHandle.current();
    return me.pid() + " (parent " + me.parent().map(p -> String.valueOf(p.pid())).orElse("?") + ")";
  }
}
