package io.zproc.examples.guide;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The guide's "Mutating objects inside state": a value read from the state is a copy, so mutating
 * it changes nothing on the server. The correct way is an atomic change ({@code state.atomic}, the
 * original's {@code @zproc.atomic}).
 *
 * <pre>
 * state['numbers'] = [1, 2, 3]  # works
 * state['numbers'].append(4)    # doesn't work
 *
 * @zproc.atomic
 * def add_a_number(state, to_add):
 *     state['numbers'].append(to_add)
 *
 * def my_process(state):
 *     add_a_number(state, 4)
 * </pre>
 */
public final class MutatingNestedObjects {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private MutatingNestedObjects() {}

  /**
   * The original's {@code @zproc.atomic add_a_number}: the task gets a mutable copy of the
   * namespace and its changes commit as one change, re-run if something it read changed meanwhile
   * (so it must be quick, and free of side effects other than on the map).
   */
  static Mono<List<Object>> addANumber(State state, int toAdd) {
    return state.atomic(
        s -> {
          @SuppressWarnings("unchecked")
          List<Object> numbers = (List<Object>) s.get("numbers");
          numbers.add(toAdd); // nested lists and maps in the copy are mutable
          return numbers;
        });
  }

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      State state = ctx.state();
      state.put("numbers", List.of(1, 2, 3)).block(); // works
      System.out.println("stored numbers = " + state.get("numbers").block());

      @SuppressWarnings("unchecked")
      List<Object> numbers = (List<Object>) state.get("numbers").block();
      numbers.add(4); // doesn't work: the list read is a copy
      System.out.println(
          "appended 4 to the list read: it is "
              + numbers
              + ", but the state still has "
              + state.get("numbers").block());

      // def my_process(state): add_a_number(state, 4)
      ZProcess<Object> p =
          ctx.process(
              s -> {
                addANumber(s, 4).block();
                return null;
              });
      p.result().block(WAIT);
      System.out.println(
          "after add_a_number(state, 4) in a process: numbers = " + state.get("numbers").block());

      List<Object> after = addANumber(state, 5).block();
      System.out.println("after add_a_number(state, 5) here: numbers = " + after);
    }
  }
}
