package io.zproc.examples.guide;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The guide's "Reactive programming with zproc": instead of a busy loop (or a loop with sleeps),
 * processes wait for the state to reach a value. A waiting watcher uses no CPU: the server pushes
 * the changes to it.
 *
 * <pre>
 * def my_process(state):
 *     state.get_when_equal('cookies', 5)
 *     print('done with zproc!')
 *
 * def my_process(state):
 *     state.get_when(lambda state: state.get('cookies') == 5)
 * </pre>
 */
public final class StateWatching {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private StateWatching() {}

  public static void main(String[] args) throws InterruptedException {
    try (ZProc ctx = ZProc.start()) {
      State state = ctx.state();
      state.put("cookies", 0).block();

      // state.get_when_equal('cookies', 5)
      ZProcess<Object> equal =
          ctx.process(
              s -> {
                s.whenEqual("cookies", 5).block(); // waits, using no CPU
                System.out.println("[whenEqual process] done with zproc!");
                return null;
              });

      // state.get_when(lambda state: state.get('cookies') == 5): the predicate is tested on the
      // current state, then on the state after every change, none skipped.
      ZProcess<Object> predicate =
          ctx.process(
              s -> {
                Snapshot at = s.when(snap -> Objects.equals(snap.get("cookies"), 5)).block();
                System.out.println(
                    "[when process] the predicate passed at cookies = " + at.get("cookies"));
                return at.get("cookies");
              });

      // The baker: the state changes, and the watchers react. No watcher polls.
      for (int cookies = 1; cookies <= 5; cookies++) {
        Thread.sleep(50);
        state.put("cookies", cookies).block();
        System.out.println("baked: cookies = " + cookies);
      }
      equal.result().block(WAIT);
      System.out.println("the whenEqual process ended");
      System.out.println("the when process returned " + predicate.result().block(WAIT));

      // Caution (as in the original): a predicate sees *state*, not time. This is wrong:
      //
      //   long t = System.currentTimeMillis();
      //   state.when(s -> System.currentTimeMillis() > t + 5000);   // wrong!
      //
      // It is only re-tested when the state changes; the clock moving is not a state change. For
      // time, use Reactor's operators (timeout, Mono.delay) around the watcher:
      try {
        state.whenEqual("cookies", 6).timeout(Duration.ofMillis(200)).block();
      } catch (RuntimeException e) {
        if (!(e.getCause() instanceof TimeoutException)) {
          throw e;
        }
        System.out.println(
            "no 6th cookie within 200 ms: for time, use timeout(...), not a predicate");
      }
    }
  }
}
