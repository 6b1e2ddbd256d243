package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderedData} against a plain {@code LinkedHashMap}: after any sequence of puts (new keys
 * and updates), removals, clears and pops of the last key, both hold the same entries in the same
 * order, and the last key is the one the plain map would walk to. (A view read outside the lock is
 * checked in {@code SnapshotOutsideLockTest}.)
 */
class OrderedDataTest {

  /** One step: 0 put, 1 remove, 2 pop the last, 3 clear; on a key of a small set. */
  record Step(int kind, String key, int value) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.frequency(
                    Tuple.of(6, 0), Tuple.of(3, 1), Tuple.of(3, 2), Tuple.of(1, 3)),
                Arbitraries.of("a", "b", "c", "d", "e", "f"),
                Arbitraries.integers().between(0, 9))
            .as(Step::new);
    return step.list().ofMaxSize(300);
  }

  @Property(tries = 500)
  void anySteps_sameEntriesAndOrderAsLinkedHashMap_lastKeyIsTheLastInserted(
      @ForAll("steps") List<Step> steps) {
    OrderedData data = new OrderedData();
    LinkedHashMap<String, Integer> model = new LinkedHashMap<>();
    long version = 0;
    for (Step step : steps) {
      version++;
      switch (step.kind()) {
        case 0:
          data.put(step.key(), IntNode.valueOf(step.value()), version);
          model.put(step.key(), step.value());
          break;
        case 1:
          data.remove(step.key(), version);
          model.remove(step.key());
          break;
        case 2:
          {
            String expected = last(model);
            assertThat(data.lastKey()).isEqualTo(expected);
            if (expected != null) {
              data.remove(expected, version);
              model.remove(expected);
            }
            break;
          }
        default:
          data.clear(version);
          model.clear();
      }
      assertThat(List.of(data.keys())).isEqualTo(new ArrayList<>(model.keySet()));
      assertThat(data.lastKey()).isEqualTo(last(model));
    }
  }

  @Test
  void manyRemovals_stackRebuilt_lastKeyStillRight() {
    OrderedData data = new OrderedData();
    for (int round = 0; round < 1000; round++) {
      data.put("k" + round, IntNode.valueOf(round), round);
      data.put("keep", IntNode.valueOf(round), round);
      data.remove("k" + round, round);
    }
    assertThat(data.lastKey()).isEqualTo("keep");
    data.put("z", IntNode.valueOf(1), 1000);
    assertThat(data.lastKey()).isEqualTo("z");
  }

  private static String last(LinkedHashMap<String, Integer> model) {
    String last = null;
    for (String key : model.keySet()) {
      last = key;
    }
    return last;
  }
}
