package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * A copy of a namespace made outside its lock ({@code Namespace.view} then {@code copy}) is the
 * namespace as it was when the view was taken, entries and order, whatever changed in between: the
 * same tree the lock-holding copy made at that moment.
 */
class SnapshotOutsideLockTest {
  private static final Clock CLOCK = Clock.systemUTC();

  /** One step: 0 put, 1 remove, 2 popItem, 3 clear, 4 putAll of two keys, 5 set, 6 put null. */
  record Step(int kind, String key, int value) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.frequency(
                    Tuple.of(8, 0),
                    Tuple.of(4, 1),
                    Tuple.of(3, 2),
                    Tuple.of(1, 3),
                    Tuple.of(2, 4),
                    Tuple.of(1, 5),
                    Tuple.of(1, 6)),
                Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h"),
                Arbitraries.integers().between(0, 9))
            .as(Step::new);
    return step.list().ofMaxSize(80);
  }

  @Property(tries = 1000)
  void changesBetweenViewAndCopy_copyIsTheStateAtTheView(
      @ForAll("steps") List<Step> before, @ForAll("steps") List<Step> between) {
    Namespace ns = new Namespace("n", 1000, 1 << 20, CLOCK);
    before.forEach(step -> apply(ns, step));
    ObjectNode expected = ns.snapshot();
    SharedTrees.Copying copying = ns.startCopy();
    between.forEach(step -> apply(ns, step));
    ObjectNode copy = ns.finishCopy(copying);

    assertThat(copy.get("ver")).isEqualTo(expected.get("ver"));
    assertThat(fieldNames((ObjectNode) copy.get("m")))
        .isEqualTo(fieldNames((ObjectNode) expected.get("m")));
    assertThat(copy.get("m")).isEqualTo(expected.get("m"));
  }

  @Test
  void moreChangesWhileCopyingThanTheJournalHolds_copyIsStillTheStateAtItsStart() {
    Namespace ns = new Namespace("n", 8, 1 << 20, CLOCK);
    for (int i = 0; i < 100; i++) {
      ns.put("k" + i, IntNode.valueOf(i), "w");
    }
    ObjectNode expected = ns.snapshot();
    SharedTrees.Copying copying = ns.startCopy();
    for (int i = 0; i < 50; i++) {
      ns.put("k" + (i % 10), IntNode.valueOf(-i), "w");
      ns.remove("k" + (50 + i), "w");
    }
    ns.popItem("w");
    ObjectNode copy = ns.finishCopy(copying);
    assertThat(copy).isEqualTo(expected);
    assertThat(fieldNames((ObjectNode) copy.get("m")))
        .isEqualTo(fieldNames((ObjectNode) expected.get("m")));
    // no copy under way: changes note nothing
    ns.put("k0", IntNode.valueOf(7), "w");
    assertThat(ns.finishCopy(ns.startCopy()).get("m").get("k0").intValue()).isEqualTo(7);
  }

  @Test
  void largeNamespace_snapshotsWhileAWriterWrites_eachIsAStateOfItsVersion() throws Exception {
    Namespace ns = new Namespace("n", 100_000, 1 << 30, CLOCK);
    int keys = 20_000;
    for (int i = 0; i < keys; i++) {
      ns.put("k" + i, IntNode.valueOf(0), "w");
    }
    long base = ns.version();
    // the writer counts up one key after another: at version base + n, keys k0..k(n-1) hold 1
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(1);
    Thread writer =
        new Thread(
            () -> {
              started.countDown();
              for (int i = 0; i < keys && !stop.get(); i++) {
                ns.put("k" + i, IntNode.valueOf(1), "w");
              }
            });
    writer.start();
    started.await();
    List<ObjectNode> snapshots = new ArrayList<>();
    try {
      for (int i = 0; i < 20 && writer.isAlive(); i++) {
        snapshots.add(ns.sharedSnapshot());
      }
    } catch (Throwable e) {
      failed.set(e);
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(failed.get()).isNull();
    for (ObjectNode snapshot : snapshots) {
      long written = snapshot.get("ver").longValue() - base;
      ObjectNode m = (ObjectNode) snapshot.get("m");
      assertThat(m.size()).isEqualTo(keys);
      for (int i = 0; i < keys; i += 97) {
        assertThat(m.get("k" + i).intValue())
            .as("k%d at +%d", i, written)
            .isEqualTo(i < written ? 1 : 0);
      }
    }
  }

  private static List<String> fieldNames(ObjectNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void apply(Namespace ns, Step step) {
    switch (step.kind()) {
      case 0 -> ns.put(step.key(), IntNode.valueOf(step.value()), "w");
      case 1 -> ns.remove(step.key(), "w");
      case 2 -> ns.popItem("w");
      case 3 -> ns.clear("w");
      case 4 -> {
        ObjectNode two = JsonNodeFactory.instance.objectNode();
        two.put(step.key(), step.value());
        two.put(step.key() + "2", step.value() + 1);
        ns.putAll(two, "w");
      }
      case 5 -> {
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        values.put("z", step.value());
        values.put(step.key(), step.value());
        ns.set(values, "w");
      }
      default -> ns.put(step.key(), NullNode.getInstance(), "w");
    }
  }
}
