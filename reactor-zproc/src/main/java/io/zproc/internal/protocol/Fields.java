package io.zproc.internal.protocol;

/**
 * The names of the fields of the state protocol's requests, replies and change events (see {@code
 * docs/wire-format.md}); the operations are {@link Op}.
 */
public final class Fields {
  private Fields() {}

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

  /**
   * When: the test, the {@linkplain KeyTest#wireName() name} of a {@link KeyTest} (of {@link #KEY},
   * with {@link #VALUE} where it needs one), or {@link KeyTest#ANY_CHANGE} (any change, or one
   * touching {@link #KEYS}, leaving some value different).
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

  /** Commit reply: whether the writes were committed. */
  public static final String OK = "ok";

  /** Commit reply on a conflict: the caller still holds the atomic lock. */
  public static final String HELD = "held";

  /** When reply after a wait: the change that made the state pass. */
  public static final String CHANGE = "change";

  /** Change event: its time, in milliseconds since the epoch. */
  public static final String TIMESTAMP = "t";

  /** Change event: the values before the change of the keys that were present. */
  public static final String BEFORE = "b";

  /** Change event: the values after the change of the keys that are present. */
  public static final String AFTER_VALUES = "a";

  /** Change event: every value is as it was before. */
  public static final String IDENTICAL = "same";

  /** Worker: how many batches the worker runs at once. */
  public static final String SLOTS = "slots";

  /** Map: the call's id (client side) or the task's id (worker side). */
  public static final String RUN = "run";

  /** Map: the serialized task, when the receiver may not have it yet. */
  public static final String CODE = "code";

  /** Map: the client's id of a batch. */
  public static final String BATCH = "bid";

  /** Map: the index of a batch's first item. */
  public static final String FIRST = "first";

  /** Map: a batch's items, encoded by the map codec. */
  public static final String ITEMS = "items";

  /** Map: the broker's id of a batch given to a worker. */
  public static final String JOB = "job";

  /** Map: a batch's outcome, as the worker wrote it. */
  public static final String OUTCOME = "out";

  /** Map reply: the batch's worker left before it answered; run it again. */
  public static final String LOST = "lost";

  /** Map reply: the server does not have the call's task; send it with the batch. */
  public static final String UNKNOWN = "unknown";

  /** Worker element: the task of this call ended; forget it. */
  public static final String DROPPED = "dropped";

  /** Worker element: the server registered the worker (the first element). */
  public static final String JOINED = "joined";

  /**
   * Worker: how many tasks a worker keeps; the server mirrors its cache (least recently used out
   * first) to send a task's code only to a worker that does not have it.
   */
  public static final int WORKER_TASKS = 256;
}
