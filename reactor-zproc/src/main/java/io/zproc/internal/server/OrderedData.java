package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A namespace's entries in insertion order (an update keeps a key's place), kept as a log of slots
 * so that a reader can copy a large namespace without holding the namespace's lock for the whole
 * copy, and so that the most recently inserted key is found in amortized O(1) (what {@code popItem}
 * takes; Java 17's {@code LinkedHashMap} can only walk to its last entry).
 *
 * <p>Each insertion appends a {@link Slot} that records the version that inserted the key; an
 * update replaces the slot's value; a removal marks the slot with the version that removed it and
 * leaves it in the log. A {@link View} taken under the lock (the slot array, its length and the
 * version) stays valid after the lock is released: slots below that length are never moved or
 * reused (a compaction or a growth makes a new array), so the view's reader sees every key that was
 * present at its version, in order, with a value that is right unless the key changed since, which
 * the journal then says (see {@code Namespace.sharedSnapshot}).
 *
 * <p>Values are never null (JSON null is a node). Not thread-safe for writers: the namespace's
 * monitor guards every method but a view's reading.
 */
final class OrderedData {
  /** One insertion of a key; its value changes in place until the key is removed. */
  static final class Slot {
    final String key;

    /** The version that inserted the key. */
    final long insertedAt;

    /**
     * The current value (read without the lock by a view: right only if the key did not change).
     */
    volatile JsonNode value;

    /** The version that removed the key, or 0 while present. */
    volatile long removedAt;

    Slot(String key, JsonNode value, long insertedAt) {
      this.key = key;
      this.value = value;
      this.insertedAt = insertedAt;
    }

    /** Whether the key was present, in this slot, right after {@code version}. */
    boolean presentAt(long version) {
      long removed = removedAt;
      return insertedAt <= version && (removed == 0 || removed > version);
    }
  }

  /** The slots as they were at a version, to be read without the lock. */
  record View(Slot[] slots, int length, long version, int size) {}

  private final HashMap<String, Slot> index = new HashMap<>();
  private Slot[] slots = new Slot[16];
  private int length;

  /** Whether a view reads the current array: then no slot below its length may change. */
  private boolean viewed;

  @Nullable JsonNode get(String key) {
    Slot slot = index.get(key);
    return slot == null ? null : slot.value;
  }

  boolean containsKey(String key) {
    return index.containsKey(key);
  }

  int size() {
    return index.size();
  }

  boolean isEmpty() {
    return index.isEmpty();
  }

  /**
   * Stores a value; a new key goes last.
   *
   * @param version the version of the change this is part of
   * @return the previous value, or null if the key was absent
   */
  @Nullable JsonNode put(String key, JsonNode value, long version) {
    Slot slot = index.get(key);
    if (slot != null) {
      JsonNode previous = slot.value;
      slot.value = value;
      return previous;
    }
    slot = new Slot(key, value, version);
    index.put(key, slot);
    if (length == slots.length) {
      // a new array: a view of the old one stays as it was
      slots = Arrays.copyOf(slots, Math.max(16, length * 2));
      viewed = false;
    }
    slots[length++] = slot;
    return null;
  }

  /**
   * Removes a key.
   *
   * @param version the version of the change this is part of
   * @return the removed value, or null if the key was absent
   */
  @Nullable JsonNode remove(String key, long version) {
    Slot slot = index.remove(key);
    if (slot == null) {
      return null;
    }
    slot.removedAt = version;
    if (length > 2 * index.size() + 64) {
      compact();
    }
    return slot.value;
  }

  /** Removes every key; {@code version} is the clearing change's. */
  void clear(long version) {
    for (Slot slot : index.values()) {
      slot.removedAt = version;
    }
    index.clear();
    slots = new Slot[16];
    length = 0;
    viewed = false;
  }

  /** The most recently inserted key still present, or null when empty. */
  @Nullable String lastKey() {
    while (length > 0) {
      Slot slot = slots[length - 1];
      if (slot.removedAt == 0) {
        return slot.key;
      }
      if (viewed) {
        // a new array, so that the view keeps its slots (once per view)
        slots = Arrays.copyOf(slots, slots.length);
        viewed = false;
      }
      slots[--length] = null;
    }
    return null;
  }

  /** Calls {@code action} for each present key and its value, in insertion order. */
  void forEach(BiConsumer<String, JsonNode> action) {
    for (int i = 0; i < length; i++) {
      Slot slot = slots[i];
      if (slot.removedAt == 0) {
        action.accept(slot.key, slot.value);
      }
    }
  }

  /** Whether some present value passes the test. */
  boolean anyValue(Predicate<JsonNode> test) {
    for (Slot slot : index.values()) {
      if (test.test(slot.value)) {
        return true;
      }
    }
    return false;
  }

  /** The present keys, in insertion order. */
  String[] keys() {
    String[] keys = new String[index.size()];
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (slots[i].removedAt == 0) {
        keys[n++] = slots[i].key;
      }
    }
    return keys;
  }

  /** The slots as they are now, at {@code version}: read them after releasing the lock. */
  View view(long version) {
    viewed = true;
    return new View(slots, length, version, index.size());
  }

  /** Drops removed slots into a new array (a view of the old one keeps its slots). */
  private void compact() {
    Slot[] kept = new Slot[Math.max(16, index.size() * 2)];
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (slots[i].removedAt == 0) {
        kept[n++] = slots[i];
      }
    }
    slots = kept;
    length = n;
    viewed = false;
  }
}
