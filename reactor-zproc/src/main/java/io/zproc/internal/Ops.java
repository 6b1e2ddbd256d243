package io.zproc.internal;

/** Operation names and argument fields of the state protocol (see {@code docs/wire-format.md}). */
public final class Ops {
  private Ops() {}

  public static final String GET = "get";
  public static final String PUT = "put";
  public static final String REMOVE = "remove";
  public static final String REMOVE_IF = "removeIf";
  public static final String REPLACE = "replace";
  public static final String REPLACE_IF = "replaceIf";
  public static final String PUT_ALL = "putAll";
  public static final String PUT_IF_ABSENT = "putIfAbsent";
  public static final String POP_ITEM = "popItem";
  public static final String CONTAINS_KEY = "containsKey";
  public static final String CONTAINS_VALUE = "containsValue";
  public static final String SIZE = "size";
  public static final String CLEAR = "clear";
  public static final String SET = "set";
  public static final String SNAPSHOT = "snapshot";
  public static final String INCREMENT = "increment";
  public static final String PING = "ping";

  /** Namespace name. */
  public static final String NS = "ns";

  /** Key. */
  public static final String KEY = "k";

  /** Value. */
  public static final String VALUE = "v";

  /** Expected value of a conditional operation. */
  public static final String EXPECTED = "x";

  /** Origin: the id of the state client making a mutation. */
  public static final String ORIGIN = "o";

  /** A map of entries (putAll, set, snapshot replies). */
  public static final String MAP = "m";

  /** Delta of increment. */
  public static final String DELTA = "d";

  /** Version (snapshot replies). */
  public static final String VERSION = "ver";

  /** Flag: the reply carries the previous value (put). */
  public static final String RETURN_PREVIOUS = "ret";

  /** Flag: a present null counts as absent (putIfAbsent of the Map view). */
  public static final String NULL_IS_ABSENT = "na";
}
