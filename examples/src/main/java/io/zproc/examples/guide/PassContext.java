package io.zproc.examples.guide;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;

/**
 * The guide's "Something to keep in mind": never share objects between processes; communicate
 * through the state. A process that needs a context gets its own ({@code processWithContext}, the
 * original's {@code pass_context=True}); capturing the parent's context (or a state client) in a
 * plain process fails at once.
 *
 * <pre>
 * def my_process(inner_ctx):
 *     print(inner_ctx)  # This context is different.
 *
 * ctx.process(my_process, pass_context=True)
 *
 * def my_process():
 *     print(ctx)  # This is not allowed!
 *
 * ctx.process(my_process)
 * </pre>
 */
public final class PassContext {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private PassContext() {}

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      System.out.println("the parent's context: " + ctx);

      // ctx.process(my_process, pass_context=True)
      ZProcess<String> p =
          ctx.processWithContext(
              innerCtx -> {
                System.out.println("[child] my own context: " + innerCtx); // a different one
                innerCtx.state().put("greeting", "hello through the state").block();
                return innerCtx.address();
              });
      String childAddress = p.result().block(WAIT);
      System.out.println(
          "the child's context is its own, on the same server: "
              + childAddress.equals(ctx.address()));
      System.out.println("and it wrote greeting = " + ctx.state().get("greeting").block());

      // def my_process(): print(ctx)  -- This is not allowed!
      ZProc shared = ctx;
      try {
        ctx.process(state -> shared.toString());
        System.out.println("unexpected: a task capturing the context was accepted");
      } catch (IllegalArgumentException e) {
        System.out.println(
            "capturing the context is refused: IllegalArgumentException: " + e.getMessage());
      }

      // The same goes for a state client: a task gets its own State instead.
      State parentState = ctx.state();
      try {
        ctx.process(state -> parentState.get("greeting").block());
        System.out.println("unexpected: a task capturing a State was accepted");
      } catch (IllegalArgumentException e) {
        System.out.println("capturing a State is refused too");
      }
    }
  }
}
