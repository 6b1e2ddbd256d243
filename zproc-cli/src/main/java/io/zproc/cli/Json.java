package io.zproc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Values to and from the JSON the command prints and reads. */
final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** One line of JSON. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print a value as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The value a JSON text stands for (the whole text: {@code 5 apples} is not JSON).
   *
   * @throws JsonProcessingException if the text is not one JSON value
   */
  static Object read(String text) throws JsonProcessingException {
    return MAPPER.readValue(text, Object.class);
  }
}
