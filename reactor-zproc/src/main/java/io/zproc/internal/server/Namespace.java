package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Replies;
import io.zproc.rsocket.WireException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * One namespace: an insertion-ordered map of trees, its version and its journal. Every method is
 * atomic (it holds the namespace's monitor for a few microseconds, never across I/O); every
 * mutation that touches a key takes the next version and appends one {@link ChangeRecord}.
 *
 * <p>Stored trees are never mutated: a write replaces the whole value.
 */
final class Namespace {
  final String name;

  /** The entries (guarded by this; {@link SharedTrees} reads them under this monitor). */
  final OrderedData data = new OrderedData();

  final History history;
  final Journal journal;
  private final Clock clock;

  /** The trees readers and released watchers share (and {@link Replica#apply} tells). */
  final SharedTrees trees = new SharedTrees(this);

  /** The open watches, by what they watch. */
  private final WatchIndex watches = new WatchIndex();

  /** The newest version whose watches have been told (guarded by this; see {@link #signal}). */
  long signaled;

  private final AtomicLock lock;
  private final long epoch;

  /** The newest change's version (guarded by this). */
  long version;

  /**
   * A namespace without an epoch whose atomic lock passes on only when its callers say what time it
   * is ({@code begin}, {@code commit}, {@code release}): no background sweep on the wall clock, so
   * tests drive time themselves.
   */
  Namespace(String name, int journalSize, long journalBytes, Clock clock) {
    this(name, journalSize, journalBytes, clock, 0, false);
  }

  /**
   * @param epoch this namespace's run (see {@code StateEngine.namespace}), carried by change
   *     events; 0 for none
   */
  Namespace(String name, int journalSize, long journalBytes, Clock clock, long epoch) {
    this(name, journalSize, journalBytes, clock, epoch, true);
  }

  private Namespace(
      String name, int journalSize, long journalBytes, Clock clock, long epoch, boolean sweeps) {
    this.lock =
        new AtomicLock(
            this, name, this::granted, sweeps ? Schedulers.parallel() : null, System::nanoTime);
    this.epoch = epoch;
    this.name = name;
    this.history = new History(name, journalSize, journalBytes);
    this.journal = history.journal();
    this.clock = clock;
  }

  synchronized long version() {
    return version;
  }

  /** This namespace's run (carried by its change events), or 0 for none. */
  long epoch() {
    return epoch;
  }

  private volatile boolean dropped;

  /** Whether the namespace was dropped: this object is no longer the server's. */
  boolean isDropped() {
    return dropped;
  }

  /**
   * Drops the namespace: every watch on it and every waiter for its atomic lock ends with {@code
   * CHANGES_LOST}. The server has already forgotten it; a later use of the name makes a new one.
   */
  void drop() {
    dropped = true;
    WireException gone = droppedError();
    for (Watch watch : watches.all()) {
      watch.fail(gone);
    }
    List<AtomicLock.Waiter> waiting;
    synchronized (this) {
      waiting = lock.clear();
    }
    for (AtomicLock.Waiter waiter : waiting) {
      waiter.sink.error(gone);
    }
  }

  WireException droppedError() {
    return history.dropped();
  }

  synchronized @Nullable JsonNode get(String key) {
    return data.get(key);
  }

  synchronized boolean containsKey(String key) {
    return data.containsKey(key);
  }

  synchronized boolean containsValue(JsonNode value) {
    return data.anyValue(v -> Json.equal(v, value));
  }

  synchronized int size() {
    return data.size();
  }

  /** Stores a value; returns the previous one (null if absent). */
  synchronized @Nullable JsonNode put(String key, JsonNode value, String origin) {
    JsonNode previous = data.put(key, value, version + 1);
    record(origin, key, previous, value);
    return previous;
  }

  synchronized @Nullable JsonNode remove(String key, String origin) {
    if (!data.containsKey(key)) {
      return null;
    }
    JsonNode previous = data.remove(key, version + 1);
    record(origin, key, previous, null);
    return previous;
  }

  synchronized boolean removeIf(String key, JsonNode expected, String origin) {
    JsonNode current = data.get(key);
    if (current == null || !Json.equal(current, expected)) {
      return false;
    }
    data.remove(key, version + 1);
    record(origin, key, current, null);
    return true;
  }

  /** Replaces a present key's value; returns the previous value, or null if absent. */
  synchronized @Nullable JsonNode replace(String key, JsonNode value, String origin) {
    if (!data.containsKey(key)) {
      return null;
    }
    JsonNode previous = data.put(key, value, version + 1);
    record(origin, key, previous, value);
    return previous;
  }

  synchronized boolean replaceIf(String key, JsonNode expected, JsonNode value, String origin) {
    JsonNode current = data.get(key);
    if (current == null || !Json.equal(current, expected)) {
      return false;
    }
    data.put(key, value, version + 1);
    record(origin, key, current, value);
    return true;
  }

  /**
   * Stores unless present; returns the existing value, or null after storing.
   *
   * @param nullIsAbsent whether a present null counts as absent (Map semantics)
   */
  synchronized @Nullable JsonNode putIfAbsent(
      String key, JsonNode value, boolean nullIsAbsent, String origin) {
    JsonNode current = data.get(key);
    if (current != null && !(nullIsAbsent && current.isNull())) {
      return current;
    }
    data.put(key, value, version + 1);
    record(origin, key, current, value);
    return null;
  }

  synchronized void putAll(ObjectNode values, String origin) {
    apply(values, new String[0], origin);
  }

  /** Stores these values and removes these keys as one change; nothing if both are empty. */
  private void apply(ObjectNode puts, String[] removes, String origin) {
    int n = puts.size() + removes.length;
    if (n == 0) {
      return;
    }
    String[] keys = new String[n];
    JsonNode[] before = new JsonNode[n];
    JsonNode[] after = new JsonNode[n];
    int i = 0;
    Iterator<Map.Entry<String, JsonNode>> fields = puts.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      keys[i] = e.getKey();
      after[i] = e.getValue();
      before[i] = data.put(e.getKey(), e.getValue(), version + 1);
      i++;
    }
    for (String key : removes) {
      keys[i] = key;
      before[i] = data.remove(key, version + 1);
      i++;
    }
    append(origin, keys, before, after);
  }

  /** Removes the most recently inserted entry; null if empty. */
  synchronized Map.@Nullable Entry<String, JsonNode> popItem(String origin) {
    String key = data.lastKey();
    if (key == null) {
      return null;
    }
    JsonNode value = data.get(key);
    data.remove(key, version + 1);
    record(origin, key, value, null);
    return Map.entry(key, value);
  }

  synchronized void clear(String origin) {
    if (data.isEmpty()) {
      return;
    }
    String[] keys = data.keys();
    JsonNode[] before = new JsonNode[keys.length];
    for (int i = 0; i < keys.length; i++) {
      before[i] = data.get(keys[i]);
    }
    data.clear(version + 1);
    append(origin, keys, before, new JsonNode[keys.length]);
  }

  /** Replaces the whole namespace. */
  synchronized void set(ObjectNode values, String origin) {
    Set<String> touched = new LinkedHashSet<>(Arrays.asList(data.keys()));
    values.fieldNames().forEachRemaining(touched::add);
    if (touched.isEmpty()) {
      return;
    }
    int n = touched.size();
    String[] keys = touched.toArray(new String[0]);
    JsonNode[] before = new JsonNode[n];
    JsonNode[] after = new JsonNode[n];
    for (int i = 0; i < n; i++) {
      before[i] = data.get(keys[i]);
      after[i] = values.get(keys[i]);
    }
    data.clear(version + 1);
    values.fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue(), version + 1));
    append(origin, keys, before, after);
  }

  /** Adds to an integer; absent or null counts as 0. */
  synchronized long increment(String key, long delta, String origin) {
    JsonNode current = data.get(key);
    JsonNode value = Increments.next(name, key, current, delta);
    data.put(key, value, version + 1);
    record(origin, key, current, value);
    return value.longValue();
  }

  /**
   * Commits an atomic task's writes as one change if nothing it read changed after {@code base}.
   *
   * <p>The namespace's atomic lock only schedules: it spares contending tasks from running on a
   * state that is about to change, but a commit is always checked, whoever holds the lock (a holder
   * whose lease ran out may still commit if nothing it read changed).
   *
   * @param readKeys the keys the task read, or null if it read the whole namespace
   * @param token the lock token the task ran under, or 0 for none
   * @return the reply: {"ok": true, "ver"} or, on conflict, {"ok": false, "snap": {"ver", "m"},
   *     "held": whether the caller still holds the lock}; and the lock's next holder, if this
   *     commit released it
   */
  synchronized Committed commit(
      long base,
      String @Nullable [] readKeys,
      ObjectNode puts,
      String[] removes,
      String origin,
      long token,
      long nowNanos) {
    boolean holds = lock.holds(token);
    boolean conflict = base > version || history.conflicts(base, readKeys, version);
    if (conflict) {
      if (holds) {
        // It keeps the lock and runs again at once on the fresh state.
        lock.renew(token, nowNanos);
      }
      return new Committed(Replies.Commit.conflict(snapshot(), holds), null);
    }
    apply(puts, removes, origin);
    return new Committed(Replies.Commit.committed(version), holds ? lock.handOff(nowNanos) : null);
  }

  /** A commit's reply, and the waiter that now holds the lock (to be told outside the monitor). */
  record Committed(ObjectNode reply, AtomicLock.@Nullable Grant next) {}

  /** The namespace's atomic lock (its methods take the namespace's monitor). */
  AtomicLock lock() {
    return lock;
  }

  private ObjectNode granted(long token) {
    return Replies.Granted.encode(snapshot(), token);
  }

  /**
   * The current state as one tree shared by every caller until the next change (see {@link
   * SharedTrees#snapshot}); a large namespace is copied without holding the lock for the copy.
   */
  ObjectNode sharedSnapshot() {
    return trees.snapshot();
  }

  /** Starts a copy outside the lock: the slots as they are now (see {@link SharedTrees}). */
  SharedTrees.Copying startCopy() {
    return trees.start();
  }

  /** Ends a copy outside the lock: the namespace at its start's version. */
  ObjectNode finishCopy(SharedTrees.Copying copying) {
    return trees.finish(copying);
  }

  /**
   * A change with the namespace as it was right after it (see {@link SharedTrees#change}).
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  ObjectNode changeWithSnapshot(ChangeRecord record) {
    return trees.change(record);
  }

  /** A copy of its own: {"ver": version, "m": {entries}}. */
  synchronized ObjectNode snapshot() {
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    data.forEach(map::set);
    return new Replies.StateReply(version, map).encode();
  }

  /**
   * The current state if the value of {@code key} in it passes the test, else null with the current
   * version in {@code version[0]}: one atomic look.
   */
  synchronized @Nullable ObjectNode snapshotIf(
      String key, Predicate<@Nullable JsonNode> test, long[] version) {
    if (test.test(data.get(key))) {
      return trees.snapshotLocked();
    }
    version[0] = this.version;
    return null;
  }

  /**
   * The value of {@code key} right after a version (null: absent), from the current value and the
   * journal.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  synchronized @Nullable JsonNode valueAt(String key, long at) {
    return history.valueAt(key, at, data.get(key), version);
  }

  synchronized int journalSize() {
    return journal.size();
  }

  /** The journal's estimated size in bytes. */
  synchronized long journalBytes() {
    return journal.bytes();
  }

  synchronized long oldestJournalVersion() {
    return journal.oldestVersion();
  }

  /** The journal's records after a version, oldest first (a copy). */
  synchronized List<ChangeRecord> changesAfter(long afterVersion) {
    return history.changesAfter(afterVersion, version);
  }

  /**
   * The change right after a cursor, or null when the cursor is at the newest version.
   *
   * @throws WireException {@code CHANGES_LOST} if that change is no longer in the journal
   */
  synchronized @Nullable ChangeRecord recordAfter(long cursor) {
    return history.recordAfter(cursor, version);
  }

  /**
   * A copy of this namespace as it was right after a version (see {@link History#snapshotAt}); the
   * shared tree for the current version.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  synchronized ObjectNode snapshotAt(long at) {
    return at >= version ? trees.snapshotLocked() : history.snapshotAt(at, data, version);
  }

  void addWatch(Watch watch) {
    watches.add(watch);
    if (dropped) {
      // dropped while this watch was made: it would wait on a namespace nobody writes
      watch.fail(droppedError());
    }
  }

  void removeWatch(Watch watch, boolean widened) {
    watches.remove(watch, widened);
  }

  /** From now on, wakes a keyed watch at every change too (it stays in the key index). */
  void widen(Watch watch) {
    watches.widen(watch);
  }

  /** The newest version whose watches have been told of it. */
  synchronized long signaled() {
    return signaled;
  }

  int watchCount() {
    return watches.count();
  }

  /** The entries of the watch index (a watch counts once per key, and once if unkeyed): tests. */
  int indexEntries() {
    return watches.entries();
  }

  /**
   * Wakes the watches the changes since the last call concern; called after a mutation, outside the
   * lock. Watches of given keys are found through the key index and told, under the lock and before
   * the version is published as signaled, the oldest change of their keys (see {@code
   * Watch.skipUnwoken}); the others are woken by every change. A change of a key nobody watches
   * costs a lookup, whatever the number of watches on other keys.
   */
  void signal() {
    watches.signal(this);
  }

  private void record(
      String origin, String key, @Nullable JsonNode before, @Nullable JsonNode after) {
    append(origin, new String[] {key}, new JsonNode[] {before}, new JsonNode[] {after});
  }

  private void append(
      String origin, String[] keys, @Nullable JsonNode[] before, @Nullable JsonNode[] after) {
    // the record first: if building it failed, the version and the journal would disagree
    ChangeRecord record =
        new ChangeRecord(name, version + 1, clock.millis(), origin, keys, before, after, epoch);
    version++;
    journal.add(record);
    trees.changing(keys, before);
  }
}
