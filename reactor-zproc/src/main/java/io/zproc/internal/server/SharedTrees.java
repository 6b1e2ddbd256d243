package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Replies;
import io.zproc.rsocket.WireException;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The trees of one namespace that many readers share, never changed once made: the current state
 * ({"ver", "m"}), and the newest change with that state ({"change", "snap"}). The watchers one
 * change releases, and the replies they get, share one copy (and, over a socket, one encoding)
 * instead of one each. Each is held weakly: once no reply holds it, it is gone.
 *
 * <p>A namespace of {@value #COPY_OUTSIDE_LOCK} keys or more is copied without holding its lock:
 * the slots as they are are read after the lock is released ({@link SnapshotCopy}); meanwhile each
 * change notes, for the copies under way, the values its keys had before it, and those keys take
 * these values in the copy. Writers are stalled for neither the copy nor the tree's building; a
 * change during a copy costs a map entry per key, for that copy only.
 *
 * <p>Guarded by the namespace's monitor, which every method takes.
 */
final class SharedTrees {
  /** Namespaces at least this large are copied outside the lock by {@link #snapshot()}. */
  static final int COPY_OUTSIDE_LOCK = 4096;

  private final Namespace ns;
  private @Nullable WeakReference<ObjectNode> state;
  private long stateVersion = -1;
  private @Nullable WeakReference<ObjectNode> change;
  private long changeVersion = -1;

  SharedTrees(Namespace ns) {
    this.ns = ns;
  }

  /** The current state, shared; a large namespace's is copied mostly outside the lock. */
  ObjectNode snapshot() {
    synchronized (ns) {
      if (ns.data.size() < COPY_OUTSIDE_LOCK) {
        return snapshotLocked();
      }
      ObjectNode cached = cached();
      if (cached != null) {
        return cached;
      }
    }
    return finish(start());
  }

  /**
   * A copy under way: its view of the slots, and the keys changed since, with their values then.
   */
  static final class Copying {
    final OrderedData.View view;
    final Map<String, @Nullable JsonNode> changed = new HashMap<>();

    Copying(OrderedData.View view) {
      this.view = view;
    }
  }

  /** The copies under way (guarded by the namespace's monitor); empty but while one is made. */
  private final List<Copying> copying = new ArrayList<>(1);

  /** Starts a copy: the slots as they are now; from now on, changes note their keys' old values. */
  Copying start() {
    synchronized (ns) {
      Copying c = new Copying(ns.data.view(ns.version));
      copying.add(c);
      return c;
    }
  }

  /** Notes a change for the copies under way (under the monitor): its keys' values before it. */
  void changing(String[] keys, @Nullable JsonNode[] before) {
    for (Copying c : copying) {
      for (int i = 0; i < keys.length; i++) {
        if (!c.changed.containsKey(keys[i])) {
          c.changed.put(keys[i], before[i]);
        }
      }
    }
  }

  /**
   * Finishes a copy: reads the view's slots without the lock, stops the notes of changes (under the
   * lock, for a moment), and builds the tree without the lock, the keys changed meanwhile taking
   * the values they had at the view's version.
   */
  ObjectNode finish(Copying c) {
    SnapshotCopy read = SnapshotCopy.read(c.view);
    synchronized (ns) {
      copying.remove(c); // from now on nothing writes c.changed
    }
    if (read == null) {
      return snapshotLocked(); // cannot happen: as many slots were present as keys
    }
    ObjectNode tree = read.tree(c.changed);
    synchronized (ns) {
      if (stateVersion < read.version() && ns.version == read.version()) {
        state = new WeakReference<>(tree);
        stateVersion = read.version();
      }
    }
    return tree;
  }

  /** The current state, shared, copied under the lock if there is none. */
  ObjectNode snapshotLocked() {
    synchronized (ns) {
      ObjectNode tree = cached();
      if (tree == null) {
        tree = ns.snapshot();
        state = new WeakReference<>(tree);
        stateVersion = ns.version;
      }
      return tree;
    }
  }

  private @Nullable ObjectNode cached() {
    WeakReference<ObjectNode> ref = state;
    return ref == null || stateVersion != ns.version ? null : ref.get();
  }

  /**
   * A change with the namespace as it was right after it: {"change": event, "snap": {"ver", "m"}}.
   * For the newest change, one tree shared by every watcher it releases; for an older one, a tree
   * of its own.
   *
   * @throws WireException {@code CHANGES_LOST} if the journal no longer reaches back that far
   */
  ObjectNode change(ChangeRecord record) {
    synchronized (ns) {
      if (record.version != ns.version) {
        return withSnapshot(record, ns.snapshotAt(record.version));
      }
      WeakReference<ObjectNode> ref = change;
      ObjectNode element = ref == null || changeVersion != ns.version ? null : ref.get();
      if (element == null) {
        element = withSnapshot(record, snapshotLocked());
        change = new WeakReference<>(element);
        changeVersion = ns.version;
      }
      return element;
    }
  }

  private static ObjectNode withSnapshot(ChangeRecord record, ObjectNode snapshot) {
    return new Replies.Answer(record.event(), snapshot).encode();
  }
}
