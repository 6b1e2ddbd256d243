package io.zproc.internal.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The open watches of one namespace, found by what they watch: a watch of given keys sits under
 * each of its keys and is woken only by changes of them; a watch that may want any change (a
 * predicate, a stream of every change, or a keyed watch {@linkplain #widen widened}) sits in the
 * unkeyed set and is woken by every change. A change of a key nobody watches costs one lookup,
 * whatever the number of watches on other keys.
 *
 * <p>Thread-safe: watches join and leave from any thread; {@link #wake} runs under the namespace's
 * monitor.
 */
final class WatchIndex {
  /** How many watches are open (each is in {@link #unkeyed} or {@link #byKey}, or both). */
  private final AtomicInteger count = new AtomicInteger();

  /** The watches that may want any change: woken by every change. */
  private final Set<Watch> unkeyed = ConcurrentHashMap.newKeySet();

  /** The watches of given keys, by key: woken only by changes of their keys. */
  private final ConcurrentHashMap<String, Set<Watch>> byKey = new ConcurrentHashMap<>();

  void add(Watch watch) {
    count.incrementAndGet();
    String[] keys = watch.keys();
    if (keys == null) {
      unkeyed.add(watch);
      return;
    }
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

  /**
   * Takes a watch out of the index.
   *
   * @param widened whether it was widened (then it is in the unkeyed set too)
   */
  void remove(Watch watch, boolean widened) {
    count.decrementAndGet();
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

  /** From now on, wakes a keyed watch at every change too (it stays under its keys). */
  void widen(Watch watch) {
    unkeyed.add(watch);
    if (watch.removed) {
      // removed meanwhile, before it was widened: it would stay in the set
      unkeyed.remove(watch);
    }
  }

  int count() {
    return count.get();
  }

  /** The entries of the index (a watch counts once per key, and once if unkeyed): for tests. */
  int entries() {
    int n = unkeyed.size();
    for (Set<Watch> set : byKey.values()) {
      n += set.size();
    }
    return n;
  }

  /** Every open watch, once each. */
  Set<Watch> all() {
    Set<Watch> all = new HashSet<>(unkeyed);
    byKey.values().forEach(all::addAll);
    return all;
  }

  /**
   * Notes a change for the watches of its keys (each is told the change's version, see {@code
   * Watch.wokenAt}) and adds them to {@code wake}; called under the namespace's monitor, before the
   * change's version is published as signaled.
   *
   * @return {@code wake}, or a new list if it was null and some watch was found
   */
  private @Nullable List<Watch> wake(ChangeRecord record, @Nullable List<Watch> wake) {
    if (byKey.isEmpty()) {
      return wake;
    }
    for (String key : record.keys) {
      Set<Watch> set = byKey.get(key);
      if (set != null) {
        if (wake == null) {
          wake = new ArrayList<>(set.size());
        }
        for (Watch w : set) {
          w.wokenAt(record.version);
          wake.add(w);
        }
      }
    }
    return wake;
  }

  /**
   * Wakes the watches the changes of a namespace since its last signal concern; called after a
   * mutation, outside the namespace's monitor (taken here for the look at its journal). Watches of
   * given keys are told, under the monitor and before the version is published as signaled, the
   * oldest change of their keys (see {@code Watch.skipUnwoken}); the unkeyed ones are woken by
   * every change.
   */
  void signal(Namespace ns) {
    if (count.get() == 0) {
      return;
    }
    List<Watch> wake = null;
    synchronized (ns) {
      long from = Math.max(ns.signaled + 1, ns.version - ns.journal.size() + 1);
      for (long v = from; v <= ns.version; v++) {
        ChangeRecord record = ns.journal.get(v);
        if (record != null) {
          wake = wake(record, wake);
        }
      }
      ns.signaled = ns.version;
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
}
