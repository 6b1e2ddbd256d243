package io.zproc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#toTree(String, Object)} converts plain values without Jackson's mapper; these check
 * that it makes exactly the tree the mapper makes, and leaves everything else to the mapper.
 */
class JsonTest {

  @Property(tries = 500)
  void toTree_plainValue_sameTreeAsTheMapper(@ForAll("plainValues") Object value) {
    JsonNode tree = Json.toTree("k", value);
    JsonNode expected = Json.mapper().valueToTree(value);

    assertThat(tree).isEqualTo(expected);
    assertSameNodeClasses(tree, expected);
  }

  @Test
  void toTree_specialDoublesAndFloats_sameTreeAsTheMapper() {
    for (Object value :
        List.of(
            Double.NaN,
            Double.NEGATIVE_INFINITY,
            -0.0d,
            Double.MIN_VALUE,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            -0.0f,
            Float.MAX_VALUE)) {
      JsonNode tree = Json.toTree("k", value);
      JsonNode expected = Json.mapper().valueToTree(value);
      assertThat(tree).as("%s", value).isEqualTo(expected);
      assertSameNodeClasses(tree, expected);
    }
  }

  @Test
  void toTree_collectionsOfEveryKind_sameTreeAsTheMapper() {
    Map<String, Object> nested = new TreeMap<>(Map.of("b", List.of(1, 2L), "a", Map.of()));
    List<Object> values =
        Arrays.asList(
            List.of(),
            new ArrayList<>(List.of("x", 1)),
            Arrays.asList(1, null, "z"),
            Collections.unmodifiableList(new ArrayList<>(List.of(true))),
            new LinkedHashSet<>(List.of(3, 1, 2)),
            nested,
            Collections.singletonMap("k", null),
            new HashMap<>(Map.of("x", 1.5, "y", 2.5f)));
    for (Object value : values) {
      JsonNode tree = Json.toTree("k", value);
      JsonNode expected = Json.mapper().valueToTree(value);
      assertThat(tree).as("%s", value).isEqualTo(expected);
      assertSameNodeClasses(tree, expected);
    }
  }

  record Point(int x, java.time.Instant at) {}

  @Test
  void toTree_mapWithARecordOrANonStringKey_convertedByTheMapper() {
    Map<String, Object> withRecord = Map.of("p", new Point(1, java.time.Instant.EPOCH));
    Map<Integer, String> intKeys = Map.of(7, "seven");

    assertThat(Json.toTree("k", withRecord)).isEqualTo(Json.mapper().valueToTree(withRecord));
    assertThat(Json.toTree("k", withRecord).get("p").get("at").textValue())
        .isEqualTo("1970-01-01T00:00:00Z");
    assertThat(Json.toTree("k", intKeys)).isEqualTo(Json.mapper().valueToTree(intKeys));
    assertThat(Json.toTree("k", intKeys).get("7").textValue()).isEqualTo("seven");
  }

  @Test
  void toTree_nestedDeeperThanThePlainPath_sameTreeAsTheMapper() {
    Object deep = "leaf";
    for (int i = 0; i < 100; i++) {
      deep = List.of(deep);
    }

    assertThat(Json.toTree("k", deep)).isEqualTo(Json.mapper().valueToTree(deep));
  }

  private static void assertSameNodeClasses(JsonNode actual, JsonNode expected) {
    assertThat(actual.getClass()).isEqualTo(expected.getClass());
    if (actual.isContainerNode()) {
      var names = expected.fieldNames();
      for (int i = 0; i < expected.size(); i++) {
        if (expected.isArray()) {
          assertSameNodeClasses(actual.get(i), expected.get(i));
        } else {
          String name = names.next();
          assertSameNodeClasses(actual.get(name), expected.get(name));
        }
      }
    }
  }

  @Provide
  Arbitrary<Object> plainValues() {
    return value(3);
  }

  private static Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(10).map(v -> (Object) v),
            Arbitraries.integers().map(v -> (Object) v),
            Arbitraries.longs().map(v -> (Object) v),
            Arbitraries.doubles().withStandardSpecialValues().map(v -> (Object) v),
            Arbitraries.floats().withStandardSpecialValues().map(v -> (Object) v),
            Arbitraries.of(true, false).map(v -> (Object) v),
            Arbitraries.just((Object) null).injectNull(1.0));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<Object> children = Arbitraries.lazy(() -> value(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaves),
        net.jqwik.api.Tuple.of(
            1, children.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l))),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.maps(Arbitraries.strings().ofMaxLength(5), children)
                .ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m))));
  }
}
