package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.rsocket.WireException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;
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
  private final OrderedData data = new OrderedData();
  private final Journal journal;
  private final Clock clock;

  /** How many watches are open (each is in {@link #unkeyed} or {@link #byKey}, or both). */
  private final AtomicInteger watchCount = new AtomicInteger();

  /** The watches that may want any change: woken by every change. */
  private final Set<Watch> unkeyed = ConcurrentHashMap.newKeySet();

  /** The watches of given keys, by key: woken only by changes of their keys. */
  private final ConcurrentHashMap<String, Set<Watch>> byKey = new ConcurrentHashMap<>();

  /** The newest version whose watches have been told (guarded by this). */
  private long signaled;

  private final String journalLimits;
  private final long epoch;
  private long version;

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
    this.sweeps = sweeps;
    this.epoch = epoch;
    this.name = name;
    this.journal = new Journal(journalSize, journalBytes);
    this.clock = clock;
    this.journalLimits = journalSize + " changes or " + (journalBytes >> 10) + " KiB";
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
    Set<Watch> all = new HashSet<>(unkeyed);
    byKey.values().forEach(all::addAll);
    for (Watch watch : all) {
      watch.fail(gone);
    }
    List<Waiter> waiting;
    synchronized (this) {
      waiting = new ArrayList<>(waiters);
      waiters.clear();
      holder = null;
    }
    for (Waiter waiter : waiting) {
      waiter.sink.error(gone);
    }
  }

  WireException droppedError() {
    return new WireException(
        CHANGES_LOST,
        "namespace '"
            + name
            + "' was dropped (State.drop()): its state and changes are gone; a new use of the"
            + " name starts an empty namespace, read it and subscribe anew");
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
    long base;
    if (current == null || current.isNull()) {
      base = 0;
    } else if (current.isIntegralNumber() && current.canConvertToLong()) {
      base = current.longValue();
    } else {
      throw new WireException(
          WireException.INVALID_ARGUMENT,
          "cannot increment key '"
              + key
              + "' in namespace '"
              + name
              + "': its value is a "
              + current.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)
              + ", not an integer");
    }
    long result;
    try {
      result = Math.addExact(base, delta);
    } catch (ArithmeticException e) {
      throw new WireException(
          WireException.INVALID_ARGUMENT,
          "incrementing key '" + key + "' by " + delta + " overflows a long (it is " + base + ")");
    }
    JsonNode value =
        result == (int) result
            ? JsonNodeFactory.instance.numberNode((int) result)
            : JsonNodeFactory.instance.numberNode(result);
    data.put(key, value, version + 1);
    record(origin, key, current, value);
    return result;
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
    boolean holds = token != 0 && holder != null && holder.token == token;
    boolean conflict = base > version || conflicts(base, readKeys);
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    if (conflict) {
      reply.put("ok", false);
      reply.set("snap", snapshot());
      if (holds) {
        // It keeps the lock and runs again at once on the fresh state.
        holder = new Holder(token, holder.owner, nowNanos);
        reply.put("held", true);
      }
      return new Committed(reply, null);
    }
    apply(puts, removes, origin);
    reply.put("ok", true);
    reply.put("ver", version);
    return new Committed(reply, holds ? handOff(nowNanos) : null);
  }

  private boolean conflicts(long base, String @Nullable [] readKeys) {
    if (base == version) {
      return false;
    }
    if (readKeys == null) {
      return true;
    }
    for (long v = base + 1; v <= version; v++) {
      ChangeRecord r = journal.get(v);
      if (r == null || r.touchesAny(readKeys)) {
        return true;
      }
    }
    return false;
  }

  /** A commit's reply, and the waiter that now holds the lock (to be told outside the monitor). */
  record Committed(ObjectNode reply, @Nullable Grant next) {}

  /**
   * How long a holder keeps the atomic lock without committing before the next waiter gets it: it
   * may have died, or its task may be slow (it can still commit, checked like any commit).
   */
  static final long LEASE_NANOS = 50_000_000L;

  /** Who holds the atomic lock: a session, under a token, since when. */
  private record Holder(long token, Object owner, long since) {}

  /** A waiter for the atomic lock. */
  static final class Waiter {
    final Object owner;
    final MonoSink<JsonNode> sink;
    volatile boolean cancelled;

    Waiter(Object owner, MonoSink<JsonNode> sink) {
      this.owner = owner;
      this.sink = sink;
    }
  }

  /** The lock handed to a waiter, with the state it starts from; deliver outside the monitor. */
  record Grant(Waiter waiter, ObjectNode state) {
    void deliver() {
      waiter.sink.success(state);
    }
  }

  private @Nullable Holder holder;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long tokens;
  private boolean sweeping;

  /** Whether a background sweep hands the lock on from a holder past its lease. */
  private final boolean sweeps;

  /**
   * Asks for the atomic lock. Waiters get it in turn; a holder that kept it past its lease loses it
   * to the first waiter.
   *
   * @return who got the lock now, with the state and the lock's token ({"ver", "m", "tok"}) to
   *     deliver outside the monitor (this waiter, or the first in the queue), or null if this
   *     waiter was queued behind a live holder
   */
  synchronized @Nullable Grant begin(Waiter waiter, long nowNanos) {
    return begin(waiter, nowNanos, Integer.MAX_VALUE);
  }

  /**
   * Asks for the atomic lock, with at most {@code maxWaiters} waiting in turn.
   *
   * @throws WireException {@code LIMIT_EXCEEDED} if this waiter would have to queue behind {@code
   *     maxWaiters} others
   */
  synchronized @Nullable Grant begin(Waiter waiter, long nowNanos, int maxWaiters) {
    if (holder != null && nowNanos - holder.since <= LEASE_NANOS) {
      if (waiters.size() >= maxWaiters) {
        throw new WireException(
            WireException.LIMIT_EXCEEDED,
            maxWaiters
                + " callers already wait for the atomic lock of namespace '"
                + name
                + "', the server's limit (maxAtomicWaiters); retry later, or raise the limit");
      }
      waiters.add(waiter);
      if (sweeps && !sweeping) {
        sweeping = true;
        Schedulers.parallel().schedule(this::sweep, LEASE_NANOS, TimeUnit.NANOSECONDS);
      }
      return null;
    }
    if (waiters.isEmpty()) {
      holder = new Holder(++tokens, waiter.owner, nowNanos);
      return new Grant(waiter, granted(holder.token));
    }
    waiters.add(waiter);
    return handOff(nowNanos);
  }

  /** Gives up the lock (a task that threw); returns the next holder, if any. */
  synchronized @Nullable Grant release(long token, long nowNanos) {
    if (holder == null || holder.token != token) {
      return null;
    }
    return handOff(nowNanos);
  }

  /** Gives up every lock and wait of {@code owner} (its connection closed). */
  @Nullable Grant releaseOwner(Object owner, long nowNanos) {
    synchronized (this) {
      waiters.removeIf(w -> w.owner == owner);
      if (holder == null || holder.owner != owner) {
        return null;
      }
      return handOff(nowNanos);
    }
  }

  /** While waiters wait, hands the lock on from a holder that kept it past its lease. */
  private void sweep() {
    Grant grant = null;
    synchronized (this) {
      sweeping = false;
      long now = System.nanoTime();
      if (holder != null && now - holder.since > LEASE_NANOS) {
        grant = handOff(now);
      } else if (holder == null && !waiters.isEmpty()) {
        grant = handOff(now);
      }
      if (!waiters.isEmpty()) {
        sweeping = true;
        long wait = holder == null ? LEASE_NANOS : LEASE_NANOS - (now - holder.since) + 1;
        Schedulers.parallel()
            .schedule(this::sweep, Math.max(wait, 1_000_000L), TimeUnit.NANOSECONDS);
      }
    }
    if (grant != null) {
      grant.deliver();
    }
  }

  private @Nullable Grant handOff(long nowNanos) {
    holder = null;
    Waiter next;
    while ((next = waiters.poll()) != null) {
      if (!next.cancelled) {
        holder = new Holder(++tokens, next.owner, nowNanos);
        return new Grant(next, granted(holder.token));
      }
    }
    return null;
  }

  private ObjectNode granted(long token) {
    ObjectNode state = snapshot();
    state.put("tok", token);
    return state;
  }

  /**
   * The current state as one tree shared by every caller until the next change, which nobody may
   * change: the watchers one change releases, and the replies they get, share one copy (and, over a
   * socket, one encoding) instead of one each. Held weakly: once no reply holds it, it is gone.
   *
   * <p>A namespace of {@value #COPY_OUTSIDE_LOCK} keys or more is copied without holding the lock:
   * the slots as they are now are read after the lock is released, and the values of the keys that
   * changed meanwhile are then taken from the journal (under the lock again, for as long as it
   * takes to read those changes). Writers are stalled for neither the copy nor the tree's building.
   * If the journal no longer reaches back to the copy's version, the copy is made under the lock.
   */
  ObjectNode sharedSnapshot() {
    OrderedData.View view;
    synchronized (this) {
      if (data.size() < COPY_OUTSIDE_LOCK) {
        return sharedSnapshotLocked();
      }
      ObjectNode cached = cachedSnapshot();
      if (cached != null) {
        return cached;
      }
      view = data.view(version);
    }
    ObjectNode tree = copy(view);
    return tree != null ? tree : sharedSnapshotLocked();
  }

  /** The slots as they are now, for {@link #copy}: the first half of a copy outside the lock. */
  synchronized OrderedData.View view() {
    return data.view(version);
  }

  /** Namespaces at least this large are copied outside the lock by {@link #sharedSnapshot()}. */
  static final int COPY_OUTSIDE_LOCK = 4096;

  private synchronized ObjectNode sharedSnapshotLocked() {
    ObjectNode tree = cachedSnapshot();
    if (tree == null) {
      tree = snapshot();
      shared = new WeakReference<>(tree);
      sharedVersion = version;
    }
    return tree;
  }

  private @Nullable ObjectNode cachedSnapshot() {
    WeakReference<ObjectNode> ref = shared;
    return ref == null || sharedVersion != version ? null : ref.get();
  }

  /**
   * The namespace at a view's version, read from the view's slots without the lock and corrected
   * from the journal for the keys that changed since; null if the journal no longer reaches back.
   */
  @Nullable ObjectNode copy(OrderedData.View view) {
    long at = view.version();
    OrderedData.Slot[] slots = view.slots();
    OrderedData.Slot[] present = new OrderedData.Slot[view.size()];
    JsonNode[] values = new JsonNode[view.size()];
    int n = 0;
    for (int i = 0; i < view.length(); i++) {
      OrderedData.Slot slot = slots[i];
      if (slot.presentAt(at)) {
        if (n == present.length) {
          return null; // cannot happen: as many slots were present as keys
        }
        present[n] = slot;
        values[n] = slot.value;
        n++;
      }
    }
    Map<String, @Nullable JsonNode> changed = new HashMap<>();
    synchronized (this) {
      if (version > at) {
        if (journal.get(at + 1) == null) {
          return null;
        }
        for (long v = at + 1; v <= version; v++) {
          ChangeRecord r = journal.get(v);
          for (int i = 0; i < r.keys.length; i++) {
            if (!changed.containsKey(r.keys[i])) {
              changed.put(r.keys[i], r.before[i]); // its value at the view's version
            }
          }
        }
      }
    }
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < n; i++) {
      String key = present[i].key;
      JsonNode value = changed.containsKey(key) ? changed.get(key) : values[i];
      if (value != null) {
        map.set(key, value);
      }
    }
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("ver", at);
    tree.set("m", map);
    synchronized (this) {
      if (sharedVersion < at && version == at) {
        shared = new WeakReference<>(tree);
        sharedVersion = at;
      }
    }
    return tree;
  }

  private @Nullable WeakReference<ObjectNode> shared;
  private long sharedVersion = -1;

  /**
   * A change with the namespace as it was right after it: {"change": event, "snap": {"ver", "m"}}.
   * For the newest change, one tree shared by every watcher it releases (held weakly, like {@link
   * #sharedSnapshot()}, and never changed); for an older one, a tree of its own.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  synchronized ObjectNode changeWithSnapshot(ChangeRecord record) {
    if (record.version != version) {
      return withSnapshot(record, snapshotAt(record.version));
    }
    WeakReference<ObjectNode> ref = sharedChange;
    ObjectNode element = ref == null || sharedChangeVersion != version ? null : ref.get();
    if (element == null) {
      element = withSnapshot(record, sharedSnapshotLocked());
      sharedChange = new WeakReference<>(element);
      sharedChangeVersion = version;
    }
    return element;
  }

  private static ObjectNode withSnapshot(ChangeRecord record, ObjectNode snapshot) {
    ObjectNode element = JsonNodeFactory.instance.objectNode();
    element.set("change", record.event());
    element.set("snap", snapshot);
    return element;
  }

  private @Nullable WeakReference<ObjectNode> sharedChange;
  private long sharedChangeVersion = -1;

  /** A copy of its own: {"ver": version, "m": {entries}}. */
  synchronized ObjectNode snapshot() {
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    data.forEach(map::set);
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put("ver", version);
    reply.set("m", map);
    return reply;
  }

  /**
   * The current state if the value of {@code key} in it passes the test, else null with the current
   * version in {@code version[0]}: one atomic look.
   */
  synchronized @Nullable ObjectNode snapshotIf(
      String key, Predicate<@Nullable JsonNode> test, long[] version) {
    if (test.test(data.get(key))) {
      return sharedSnapshotLocked();
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
    JsonNode value = data.get(key);
    if (at >= version) {
      return value;
    }
    if (journal.get(at + 1) == null) {
      throw lost(at);
    }
    for (long v = version; v > at; v--) {
      ChangeRecord r = journal.get(v);
      for (int i = r.keys.length - 1; i >= 0; i--) {
        if (r.keys[i].equals(key)) {
          value = r.before[i];
        }
      }
    }
    return value;
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
    List<ChangeRecord> out = new ArrayList<>();
    for (long v = Math.max(afterVersion + 1, journal.oldestVersion()); v <= version; v++) {
      ChangeRecord r = journal.get(v);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The change right after a cursor, or null when the cursor is at the newest version.
   *
   * @throws WireException {@code CHANGES_LOST} if that change is no longer in the journal
   */
  synchronized @Nullable ChangeRecord recordAfter(long cursor) {
    if (cursor >= version) {
      return null;
    }
    ChangeRecord next = journal.get(cursor + 1);
    if (next == null) {
      throw lost(cursor);
    }
    return next;
  }

  /**
   * A copy of this namespace as it was right after a version, rebuilt from the current state by
   * undoing newer changes from the journal: {"ver", "m"}. Keys that were removed after that version
   * are put back at the end of the order.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  synchronized ObjectNode snapshotAt(long at) {
    if (at >= version) {
      return sharedSnapshotLocked();
    }
    if (journal.get(at + 1) == null) {
      throw lost(at);
    }
    LinkedHashMap<String, JsonNode> copy = new LinkedHashMap<>();
    data.forEach(copy::put);
    for (long v = version; v > at; v--) {
      ChangeRecord r = journal.get(v);
      for (int i = r.keys.length - 1; i >= 0; i--) {
        if (r.before[i] == null) {
          copy.remove(r.keys[i]);
        } else {
          copy.put(r.keys[i], r.before[i]);
        }
      }
    }
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    copy.forEach(map::set);
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put("ver", at);
    reply.set("m", map);
    return reply;
  }

  private WireException lost(long cursor) {
    long oldest = journal.size() == 0 ? version + 1 : journal.oldestVersion();
    long lost = oldest - cursor - 1;
    return new WireException(
        CHANGES_LOST,
        lost
            + " change(s) of namespace '"
            + name
            + "' after version "
            + cursor
            + " are no longer in the server's journal (it keeps the last "
            + journalLimits
            + "); consume changes faster, or raise ServerOptions.journalSize or"
            + " ServerOptions.journalBytes");
  }

  /** The error code of a cursor older than the journal. */
  static final String CHANGES_LOST = "CHANGES_LOST";

  void addWatch(Watch watch) {
    watchCount.incrementAndGet();
    String[] keys = watch.keys();
    if (keys == null) {
      unkeyed.add(watch);
    } else {
      for (String key : keys) {
        byKey.compute(
            key,
            (k, set) -> {
              Set<Watch> s = set == null ? ConcurrentHashMap.newKeySet() : set;
              s.add(watch);
              return s;
            });
      }
    }
    if (dropped) {
      // dropped while this watch was made: it would wait on a namespace nobody writes
      watch.fail(droppedError());
    }
  }

  void removeWatch(Watch watch, boolean widened) {
    watchCount.decrementAndGet();
    String[] keys = watch.keys();
    if (keys == null || widened) {
      unkeyed.remove(watch);
    }
    if (keys != null) {
      for (String key : keys) {
        byKey.computeIfPresent(
            key,
            (k, set) -> {
              set.remove(watch);
              return set.isEmpty() ? null : set;
            });
      }
    }
  }

  /** From now on, wakes a keyed watch at every change too (it stays in the key index). */
  void widen(Watch watch) {
    unkeyed.add(watch);
    if (watch.removed) {
      // removed meanwhile, before it was widened: it would stay in the set
      unkeyed.remove(watch);
    }
  }

  /** The newest version whose watches have been told of it. */
  synchronized long signaled() {
    return signaled;
  }

  int watchCount() {
    return watchCount.get();
  }

  /** The entries of the watch index (a watch counts once per key, and once if unkeyed): tests. */
  int indexEntries() {
    int n = unkeyed.size();
    for (Set<Watch> set : byKey.values()) {
      n += set.size();
    }
    return n;
  }

  /**
   * Wakes the watches the changes since the last call concern; called after a mutation, outside the
   * lock. Watches of given keys are found through the key index and told, under the lock and before
   * the version is published as signaled, the oldest change of their keys (see {@code
   * Watch.skipUnwoken}); the others are woken by every change. A change of a key nobody watches
   * costs a lookup, whatever the number of watches on other keys.
   */
  void signal() {
    if (watchCount.get() == 0) {
      return;
    }
    List<Watch> wake = null;
    synchronized (this) {
      long from = Math.max(signaled + 1, version - journal.size() + 1);
      if (!byKey.isEmpty()) {
        for (long v = from; v <= version; v++) {
          ChangeRecord record = journal.get(v);
          if (record == null) {
            continue;
          }
          for (String key : record.keys) {
            Set<Watch> set = byKey.get(key);
            if (set != null) {
              if (wake == null) {
                wake = new ArrayList<>(set.size());
              }
              for (Watch w : set) {
                w.wokenAt(v);
                wake.add(w);
              }
            }
          }
        }
      }
      signaled = version;
    }
    for (Watch w : unkeyed) {
      w.drain();
    }
    if (wake != null) {
      for (Watch w : wake) {
        w.drain();
      }
    }
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
  }

  static JsonNode orNull(@Nullable JsonNode node) {
    return node == null ? NullNode.getInstance() : node;
  }
}
