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
  public static final String VERSION_OF = "version";
  public static final String COMMIT = "commit";
  public static final String BEGIN = "begin";

  /** Forgets a namespace: its state, journal and watches. Replies whether there was one. */
  public static final String DROP = "drop";

  public static final String ABORT = "abort";

  /** Commit: the version the atomic task ran on. */
  public static final String BASE = "base";

  /** Commit: the keys the task read. */
  public static final String READS = "reads";

  /** Commit: the task read the whole namespace. */
  public static final String READ_ALL = "all";

  /** Commit: the keys the task removed. */
  public static final String REMOVES = "rm";

  /** The lock token an atomic task ran under. */
  public static final String TOKEN = "tok";

  /** Stream: the changes of a namespace after a version. */
  public static final String WATCH = "watch";

  /**
   * Request: the first state that passes a test, tested on the server. Without {@link #AFTER} it
   * tests the current state and answers at once, with {@code {"snap": {"ver", "m"}}} if it passes
   * or {@code {"at": version}} if not; with {@link #AFTER} it answers once a state after that
   * version, made by another origin than {@link #EXCLUDE}, passes: {@code {"change": event, "snap":
   * {"ver", "m"}}}.
   */
  public static final String WHEN = "when";

  /**
   * When: the test, one of {@code eq}, {@code ne} (with {@link #VALUE}), {@code none}, {@code
   * notnone}, {@code avail} (of {@link #KEY}), or {@code change} (any change, or one touching
   * {@link #KEYS}, leaving some value different).
   */
  public static final String IS = "is";

  /**
   * When: without {@link #AFTER}, send the version tested as progress (where the transport can) and
   * go on waiting, instead of answering with it.
   */
  public static final String PROGRESS = "prog";

  /** When: the version the current state was tested at (the reply when it did not pass). */
  public static final String AT = "at";

  /** Watch: the version to resume after (absent: from now). */
  public static final String AFTER = "after";

  /**
   * Watch: the epoch of the server the version to resume after belongs to; change events carry it.
   * A different epoch is a restarted server, whose versions start again.
   */
  public static final String EPOCH = "ep";

  /** Watch: only changes touching one of these keys. */
  public static final String KEYS = "keys";

  /** Watch: skip changes made by this origin. */
  public static final String EXCLUDE = "exclude";

  /** Watch: skip changes that leave every value identical. */
  public static final String CHANGED_ONLY = "changed";

  /** Watch: each element carries the namespace right after the change. */
  public static final String WITH_SNAPSHOT = "snap";

  /** Watch: complete after the first element. */
  public static final String ONCE = "once";

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
