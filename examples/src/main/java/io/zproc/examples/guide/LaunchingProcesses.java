package io.zproc.examples.guide;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;

/**
 * The guide's opening and "Launching a Process": a context, a process that does nothing, a process
 * that uses the dict-like state, and the context's own {@code ctx.state()}.
 *
 * <pre>
 * ctx = zproc.Context()
 *
 * def my_process(state):
 *     pass
 *
 * ctx.process(my_process)
 * </pre>
 */
public final class LaunchingProcesses {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private LaunchingProcesses() {}

  /**
   * The original's {@code @ctx.process def my_process(state)}. Java has no decorators: pass a
   * method reference (or a lambda) to {@code ctx.process(...)}. It runs in a child JVM, where
   * blocking is fine.
   */
  static String myProcess(State state) {
    state.put("apples", 5).block(); // state['apples'] = 5
    Object apples = state.get("apples").block(); // state.get('apples')
    Object kept = state.putIfAbsent("apples", 10).block(); // state.setdefault('apples', 10)
    return "apples=" + apples + ", setdefault(apples, 10) kept " + kept;
  }

  public static void main(String[] args) {
    // ctx = zproc.Context(): a context with an embedded state server
    try (ZProc ctx = ZProc.start()) {
      System.out.println("started a context; its state server is at " + ctx.address());

      // def my_process(state): pass
      ZProcess<Object> nothing = ctx.process(state -> null);
      System.out.println("launched a process that does nothing: pid " + nothing.pid());
      boolean returnedNothing = nothing.result().blockOptional(WAIT).isEmpty();
      System.out.println(
          "the process that does nothing ended; it returned nothing: " + returnedNothing);

      ZProcess<String> p = ctx.process(LaunchingProcesses::myProcess);
      System.out.println("my_process returned: " + p.result().block(WAIT));

      // P.S. the state is also reachable from the context itself: ctx.state
      State state = ctx.state();
      System.out.println("ctx.state() sees apples = " + state.get("apples").block());
      System.out.println("dict-like access: asMap().get(apples) = " + state.asMap().get("apples"));

      // "You cannot mutate the underlying dict directly": a snapshot is a read-only copy
      Snapshot copy = state.snapshot().block();
      try {
        copy.put("apples", 6);
      } catch (UnsupportedOperationException e) {
        System.out.println(
            "a snapshot is read-only: the dict lives in the server, change it through the state");
      }
    }
    System.out.println("closed the context: its server and processes are gone");
  }
}
