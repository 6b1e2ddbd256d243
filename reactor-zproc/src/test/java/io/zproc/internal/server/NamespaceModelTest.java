package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.rsocket.WireException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A namespace against a plain model (an insertion-ordered map and a version count): random puts,
 * removes, increments and clears of values that include NaN, the infinities, big decimals, big
 * integers and nested trees. After every step the values, the version and the journal (one record
 * per mutation, versions without gaps, each record's after-values) agree with the model.
 */
class NamespaceModelTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** One step: 0 put, 1 remove, 2 increment, 3 clear. */
  record Op(int kind, String key, JsonNode value, long delta) {}

  @Property(tries = 300)
  void namespaceAgreesWithAModel(@ForAll("ops") List<Op> ops) {
    Namespace ns = new Namespace("m", 10_000, Long.MAX_VALUE, CLOCK);
    Map<String, JsonNode> model = new LinkedHashMap<>();
    long version = 0;
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          ns.put(op.key(), op.value(), "c");
          model.put(op.key(), op.value());
          version++;
          assertLastRecord(ns, version, op.key(), op.value());
        }
        case 1 -> {
          boolean present = model.containsKey(op.key());
          ns.remove(op.key(), "c");
          model.remove(op.key());
          if (present) {
            version++;
            assertLastRecord(ns, version, op.key(), null);
          }
        }
        case 2 -> {
          JsonNode current = model.get(op.key());
          boolean counts =
              current == null
                  || current.isNull()
                  || (current.isIntegralNumber() && current.canConvertToLong());
          long base = current == null || current.isNull() ? 0 : current.longValue();
          boolean overflows = counts && willOverflow(base, op.delta());
          if (counts && !overflows) {
            assertThat(ns.increment(op.key(), op.delta(), "c")).isEqualTo(base + op.delta());
            model.put(op.key(), LongNode.valueOf(base + op.delta()));
            version++;
          } else {
            assertThatThrownBy(() -> ns.increment(op.key(), op.delta(), "c"))
                .isInstanceOf(WireException.class);
          }
        }
        default -> {
          boolean any = !model.isEmpty();
          ns.clear("c");
          model.clear();
          if (any) {
            version++;
          }
        }
      }
      assertThat(ns.version()).isEqualTo(version);
      assertThat(ns.size()).isEqualTo(model.size());
      for (Map.Entry<String, JsonNode> e : model.entrySet()) {
        assertThat(Json.equal(ns.get(e.getKey()), e.getValue()))
            .as("key %s: %s against %s", e.getKey(), ns.get(e.getKey()), e.getValue())
            .isTrue();
      }
      List<ChangeRecord> journal = ns.changesAfter(0);
      assertThat(journal).hasSize((int) version);
      for (int i = 0; i < journal.size(); i++) {
        assertThat(journal.get(i).version).isEqualTo(i + 1L);
      }
    }
  }

  private static void assertLastRecord(Namespace ns, long version, String key, JsonNode after) {
    List<ChangeRecord> last = ns.changesAfter(version - 1);
    assertThat(last).hasSize(1);
    assertThat(last.get(0).keys).containsExactly(key);
    assertThat(Json.equal(last.get(0).after[0], after)).isTrue();
  }

  private static boolean willOverflow(long base, long delta) {
    try {
      Math.addExact(base, delta);
      return false;
    } catch (ArithmeticException e) {
      return true;
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<String> keys = Arbitraries.of("a", "b", "c", "d");
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.frequency(
                    net.jqwik.api.Tuple.of(6, 0),
                    net.jqwik.api.Tuple.of(2, 1),
                    net.jqwik.api.Tuple.of(2, 2),
                    net.jqwik.api.Tuple.of(1, 3)),
                keys,
                values(2),
                Arbitraries.longs().between(-5, 5).injectDuplicates(0.1))
            .as(Op::new);
    return op.list().ofMaxSize(40);
  }

  private static Arbitrary<JsonNode> values(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.of(
                    Double.NaN,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    0.0,
                    -0.0,
                    1.5,
                    Double.MAX_VALUE)
                .map(d -> (JsonNode) F.numberNode(d)),
            Arbitraries.floats().map(f -> (JsonNode) F.numberNode(f)),
            Arbitraries.integers().between(-3, 3).map(i -> (JsonNode) F.numberNode(i)),
            Arbitraries.longs().map(l -> (JsonNode) F.numberNode(l)),
            Arbitraries.of("1e400", "5", "5.0", "-0.1", "123456789012345678901234567890.5")
                .map(s -> (JsonNode) F.numberNode(new BigDecimal(s))),
            Arbitraries.of("5", "92233720368547758070", "-1")
                .map(s -> (JsonNode) F.numberNode(new BigInteger(s))),
            Arbitraries.strings().ofMaxLength(5).map(s -> (JsonNode) F.textNode(s)),
            Arbitraries.of((JsonNode) F.nullNode(), F.booleanNode(true)));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> lists =
        values(depth - 1)
            .list()
            .ofMaxSize(3)
            .map(
                l -> {
                  ArrayNode a = F.arrayNode();
                  l.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> maps =
        Arbitraries.maps(Arbitraries.of("x", "y"), values(depth - 1))
            .ofMaxSize(2)
            .map(
                m -> {
                  ObjectNode o = F.objectNode();
                  m.forEach(o::set);
                  return o;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalars),
        net.jqwik.api.Tuple.of(1, lists),
        net.jqwik.api.Tuple.of(1, maps));
  }
}
