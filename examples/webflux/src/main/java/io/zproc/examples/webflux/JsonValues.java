package io.zproc.examples.webflux;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Converts between the JSON trees Spring's codecs read and write and the plain Java values
 * reactor-zproc stores ({@code Map}, {@code List}, {@code String}, numbers, {@code Boolean}, null).
 *
 * <p>Spring Boot 4 reads and writes HTTP bodies with Jackson 3 ({@code tools.jackson}), while
 * reactor-zproc maps values with Jackson 2; passing plain Java values between them keeps the two
 * apart. <b>Threading:</b> thread-safe, non-blocking.
 */
@Component
public class JsonValues {
  private final JsonMapper mapper;

  /**
   * @param mapper Spring Boot's JSON mapper
   */
  public JsonValues(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A request body's tree as a plain Java value.
   *
   * @param node a JSON tree
   * @return a {@code Map}, {@code List}, {@code String}, number or {@code Boolean}; null for JSON
   *     {@code null}
   */
  public @Nullable Object toJava(JsonNode node) {
    return mapper.treeToValue(node, Object.class);
  }

  /**
   * A stored value as a JSON tree, for a response body.
   *
   * @param value a value read from the state, or null
   * @return its tree; {@code null} becomes JSON {@code null}
   */
  public JsonNode toJson(@Nullable Object value) {
    return value == null ? NullNode.getInstance() : mapper.valueToTree(value);
  }

  /**
   * A query parameter as a value: JSON if it parses as JSON ({@code 5}, {@code true}, {@code "5"},
   * {@code [1,2]}), otherwise the text itself ({@code hot} is the string "hot").
   *
   * @param text the parameter as received
   * @return the value; null for the text {@code null}
   */
  public @Nullable Object parseLenient(String text) {
    try {
      return toJava(mapper.readTree(text));
    } catch (JacksonException notJson) {
      return text;
    }
  }
}
