package io.zproc.rsocket.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Random JSON trees for the codec's property tests: each test brings its own leaves and keys. */
final class RandomTrees {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private RandomTrees() {}

  /**
   * Trees nested up to {@code depth} levels: mostly leaves, else arrays and objects of up to 5
   * children.
   */
  static Arbitrary<JsonNode> tree(int depth, Arbitrary<JsonNode> leaves, Arbitrary<String> keys) {
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<JsonNode> children = Arbitraries.lazy(() -> tree(depth - 1, leaves, keys));
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaves),
        Tuple.of(
            1,
            children
                .list()
                .ofMaxSize(5)
                .map(
                    elements -> {
                      ArrayNode array = F.arrayNode();
                      array.addAll(elements);
                      return array;
                    })),
        Tuple.of(
            1,
            Arbitraries.maps(keys, children)
                .ofMaxSize(5)
                .map(
                    entries -> {
                      ObjectNode map = F.objectNode();
                      map.setAll(entries);
                      return map;
                    })));
  }
}
