package io.zproc.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Values: Java objects to JSON trees and back, JSON value equality, and size estimates. Trees
 * handed to the server are never mutated afterwards by anyone.
 */
public final class Json {
  private Json() {}

  /**
   * The mapper for Java values: records, POJOs, {@code java.time} values. Thread-safe once
   * configured. It is built on first use (a value that is not a string, an int, a long or a tree),
   * in a holder class: a JVM that only moves plain values (a spare child JVM, most tasks) never
   * loads Jackson's data-binding machinery and its date and locale support, a few MB of classes.
   */
  public static ObjectMapper mapper() {
    return MapperHolder.MAPPER;
  }

  /** Whether this JVM has built the value mapper. */
  public static boolean mapperBuilt() {
    return mapperBuilt;
  }

  private static volatile boolean mapperBuilt;

  private static final class MapperHolder {
    static final ObjectMapper MAPPER =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    static {
      // Build Jackson's common (de)serializers now rather than on the first, possibly concurrent,
      // calls from event-loop threads, where they would wait for a lock in Jackson's caches.
      try {
        MAPPER.treeToValue(
            MAPPER.valueToTree(java.util.Map.of("a", java.util.List.of(1))), Object.class);
        mapperBuilt = true;
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private MapperHolder() {}
  }

  /** Numbers compare by value (5 equals 5L equals 5.0); everything else as Jackson does. */
  private static final Comparator<JsonNode> VALUE_EQUALITY =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return numbersEqual(a, b) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  /**
   * Converts a Java value to a tree.
   *
   * @param key the key it is for, named in the error
   * @throws IllegalArgumentException if Jackson cannot map it, naming the key and the type
   */
  public static JsonNode toTree(String key, @Nullable Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof String) {
      return JsonNodeFactory.instance.textNode((String) value);
    }
    if (value instanceof Integer) {
      return JsonNodeFactory.instance.numberNode((Integer) value);
    }
    if (value instanceof Long) {
      return JsonNodeFactory.instance.numberNode((Long) value);
    }
    if (value instanceof JsonNode) {
      return ((JsonNode) value).deepCopy();
    }
    JsonNode plain = plainTree(value, 0);
    if (plain != null) {
      return plain;
    }
    try {
      return mapper().valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot store the value for key '"
              + key
              + "': Jackson cannot map "
              + value.getClass().getName()
              + " to JSON ("
              + rootMessage(e)
              + "); store plain values (maps, lists, strings, numbers, booleans), records or"
              + " POJOs with getters",
          e);
    }
  }

  /** Deepest nesting of plain maps and lists converted without the mapper. */
  private static final int PLAIN_DEPTH = 64;

  /**
   * The tree the mapper would make of a plain value (a string, an int, a long, a double, a float, a
   * boolean, null, or a {@code java.util} list, set or string-keyed map of them, in iteration
   * order), made without it; null for any other value, which the mapper must convert. Keeps the
   * mapper (and Jackson's data binding) out of JVMs that only move plain values.
   */
  private static @Nullable JsonNode plainTree(@Nullable Object value, int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof String) {
      return f.textNode((String) value);
    }
    if (value instanceof Integer) {
      return f.numberNode((Integer) value);
    }
    if (value instanceof Long) {
      return f.numberNode((Long) value);
    }
    if (value instanceof Double) {
      return f.numberNode((Double) value);
    }
    if (value instanceof Float) {
      return f.numberNode((Float) value);
    }
    if (value instanceof Boolean) {
      return f.booleanNode((Boolean) value);
    }
    if (depth >= PLAIN_DEPTH || !value.getClass().getName().startsWith("java.util.")) {
      return null; // a class of the user's, which may carry Jackson annotations
    }
    if (value instanceof List || value instanceof Set) {
      ArrayNode array = f.arrayNode(((java.util.Collection<?>) value).size());
      for (Object item : (java.util.Collection<?>) value) {
        JsonNode node = plainTree(item, depth + 1);
        if (node == null) {
          return null;
        }
        array.add(node);
      }
      return array;
    }
    if (value instanceof Map) {
      ObjectNode object = f.objectNode();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          return null;
        }
        JsonNode node = plainTree(e.getValue(), depth + 1);
        if (node == null) {
          return null;
        }
        object.set((String) e.getKey(), node);
      }
      return object;
    }
    return null;
  }

  /** Converts several values; keys in map order. */
  public static ObjectNode toTree(Map<String, ?> values) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      String key = e.getKey();
      if (key == null) {
        throw new NullPointerException("keys must not be null");
      }
      node.set(key, toTree(key, e.getValue()));
    }
    return node;
  }

  /**
   * A tree as plain Java: null, Boolean, String, Integer/Long/BigInteger by magnitude, Double,
   * BigDecimal, byte[], List, Map (insertion-ordered). Always a fresh copy.
   */
  public static @Nullable Object toJava(@Nullable JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    switch (node.getNodeType()) {
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        if (node.isIntegralNumber()) {
          if (node.canConvertToInt()) {
            return node.intValue();
          }
          if (node.canConvertToLong()) {
            return node.longValue();
          }
          return node.bigIntegerValue();
        }
        if (node.isBigDecimal()) {
          return node.decimalValue();
        }
        if (node.isFloat()) {
          return Double.valueOf(Float.toString(node.floatValue()));
        }
        return node.doubleValue();
      case BINARY:
        try {
          return node.binaryValue();
        } catch (java.io.IOException e) {
          return node.asText();
        }
      case ARRAY:
        {
          List<Object> list = new ArrayList<>(node.size());
          for (JsonNode item : node) {
            list.add(toJava(item));
          }
          return list;
        }
      case OBJECT:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
          while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            map.put(e.getKey(), toJava(e.getValue()));
          }
          return map;
        }
      default:
        return node.asText();
    }
  }

  /**
   * A tree as the requested type.
   *
   * @throws ZProcException code {@code VALUE} naming the key and type if it does not map
   */
  @SuppressWarnings("unchecked")
  public static <T> @Nullable T toType(String key, @Nullable JsonNode node, Class<T> type) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (type == Object.class) {
      return (T) toJava(node);
    }
    try {
      return mapper().treeToValue(node, type);
    } catch (Exception e) {
      throw new ZProcException(
          ErrorCode.VALUE,
          "the value of key '"
              + key
              + "' ("
              + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + ") cannot be read as "
              + type.getName()
              + ": "
              + rootMessage(e)
              + "; read it with get(key) to see what is stored",
          e);
    }
  }

  /** JSON value equality: numbers by value at any depth. */
  public static boolean equal(@Nullable JsonNode a, @Nullable JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(VALUE_EQUALITY, b);
  }

  private static boolean numbersEqual(JsonNode a, JsonNode b) {
    boolean aFinite = isFinite(a);
    boolean bFinite = isFinite(b);
    if (!aFinite || !bFinite) {
      // NaN and the infinities: equal to themselves only (NaN to NaN too: a total comparison, so
      // that putting NaN twice is an identical change), never to a finite number
      if (aFinite != bFinite) {
        return false;
      }
      double x = a.doubleValue();
      double y = b.doubleValue();
      return x == y || (Double.isNaN(x) && Double.isNaN(y));
    }
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      if (a.canConvertToLong() && b.canConvertToLong()) {
        return a.longValue() == b.longValue();
      }
      return a.bigIntegerValue().equals(b.bigIntegerValue());
    }
    if ((a.isDouble() || a.isFloat() || a.canConvertToLong())
        && (b.isDouble() || b.isFloat() || b.canConvertToLong())
        && !a.isBigDecimal()
        && !b.isBigDecimal()) {
      double x = a.isFloat() ? Double.parseDouble(a.asText()) : a.doubleValue();
      double y = b.isFloat() ? Double.parseDouble(b.asText()) : b.doubleValue();
      return x == y;
    }
    BigDecimal x = a.decimalValue();
    BigDecimal y = b.decimalValue();
    return x.compareTo(y) == 0;
  }

  /** Whether a number node is finite: NaN and the infinities exist only as doubles or floats. */
  private static boolean isFinite(JsonNode n) {
    return !(n.isDouble() || n.isFloat()) || Double.isFinite(n.doubleValue());
  }

  /** A rough size in bytes of a tree, for the journal's byte bound. */
  public static long estimateSize(@Nullable JsonNode node) {
    if (node == null) {
      return 0;
    }
    if (node.isTextual()) {
      return 16L + node.textValue().length();
    }
    if (node.isObject()) {
      long size = 16;
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        size += 16 + e.getKey().length() + estimateSize(e.getValue());
      }
      return size;
    }
    if (node.isArray()) {
      long size = 16;
      for (JsonNode item : (ArrayNode) node) {
        size += estimateSize(item);
      }
      return size;
    }
    if (node.isBinary()) {
      try {
        return 16L + node.binaryValue().length;
      } catch (java.io.IOException e) {
        return 16;
      }
    }
    return 16;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
