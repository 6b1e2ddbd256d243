package io.zproc.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.internal.Json;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A test of one key's value, as the {@code when*} watchers mean it: the server runs it for {@link
 * Op#WHEN}, the client for the {@code callWhen*} processes, so both agree on what passes. The value
 * tested is the key's raw value, or null if the key is absent: every test fails on an absent key.
 * The names are the protocol ({@code docs/wire-format.md}, "when"): never rename one.
 */
public enum KeyTest {
  /** Present and equal to the expected value (compared as JSON values: 5 equals 5.0). */
  EQUAL("eq", true),
  /** Present and not equal to the expected value. */
  NOT_EQUAL("ne", true),
  /** Present and null. */
  NONE("none", false),
  /** Present and not null. */
  NOT_NONE("notnone", false),
  /** Present. */
  AVAILABLE("avail", false);

  /** The other value of {@link Fields#IS}: a change (touching some keys), not a key test. */
  public static final String ANY_CHANGE = "change";

  private final String wireName;
  private final boolean needsValue;

  KeyTest(String wireName, boolean needsValue) {
    this.wireName = wireName;
    this.needsValue = needsValue;
  }

  /** The test's name on the wire, the value of {@link Fields#IS}. */
  public String wireName() {
    return wireName;
  }

  /** Whether the test compares with an expected value ({@link Fields#VALUE}). */
  public boolean needsValue() {
    return needsValue;
  }

  /**
   * This test of a key's value.
   *
   * @param expected the value to compare with, for a test that {@link #needsValue()}; else unused
   * @return a predicate of the key's raw value, null meaning absent
   */
  public Predicate<@Nullable JsonNode> of(@Nullable JsonNode expected) {
    switch (this) {
      case EQUAL:
        return v -> v != null && Json.equal(v, expected);
      case NOT_EQUAL:
        return v -> v != null && !Json.equal(v, expected);
      case NONE:
        return v -> v != null && v.isNull();
      case NOT_NONE:
        return v -> v != null && !v.isNull();
      default:
        return v -> v != null;
    }
  }

  /**
   * Every value of {@link Fields#IS}, for messages: {@code "eq, ne, none, notnone, avail, change"}.
   */
  public static String wireNames() {
    StringBuilder names = new StringBuilder();
    for (KeyTest test : values()) {
      names.append(test.wireName).append(", ");
    }
    return names.append(ANY_CHANGE).toString();
  }

  /** The test named {@code wireName} on the wire, or null if there is none. */
  public static @Nullable KeyTest named(String wireName) {
    for (KeyTest test : values()) {
      if (test.wireName.equals(wireName)) {
        return test;
      }
    }
    return null;
  }
}
