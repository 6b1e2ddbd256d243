package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.rsocket.WireException;
import java.lang.ref.WeakReference;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The trees of one namespace that many readers share, never changed once made: the current state
 * ({"ver", "m"}), and the newest change with that state ({"change", "snap"}). The watchers one
 * change releases, and the replies they get, share one copy (and, over a socket, one encoding)
 * instead of one each. Each is held weakly: once no reply holds it, it is gone.
 *
 * <p>A namespace of {@value #COPY_OUTSIDE_LOCK} keys or more is copied without holding its lock:
 * the slots as they are are read after the lock is released ({@link SnapshotCopy}), and the keys
 * that changed meanwhile take their values from the journal (under the lock again, for as long as
 * it takes to read those changes). Writers are stalled for neither the copy nor the tree's
 * building. If the journal no longer reaches back to the copy's version, the copy is made under the
 * lock.
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
    OrderedData.View view;
    synchronized (ns) {
      if (ns.data.size() < COPY_OUTSIDE_LOCK) {
        return snapshotLocked();
      }
      ObjectNode cached = cached();
      if (cached != null) {
        return cached;
      }
      view = ns.data.view(ns.version);
    }
    ObjectNode tree = copy(view);
    return tree != null ? tree : snapshotLocked();
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
   * The namespace at a view's version, read from the view's slots without the lock and corrected
   * from the journal for the keys that changed since; null if the journal no longer reaches back.
   */
  @Nullable ObjectNode copy(OrderedData.View view) {
    SnapshotCopy copy = SnapshotCopy.read(view);
    if (copy == null) {
      return null;
    }
    Map<String, @Nullable JsonNode> changed;
    synchronized (ns) {
      changed = ns.history.changedSince(copy.version(), ns.version);
    }
    if (changed == null) {
      return null;
    }
    ObjectNode tree = copy.tree(changed);
    synchronized (ns) {
      if (stateVersion < copy.version() && ns.version == copy.version()) {
        state = new WeakReference<>(tree);
        stateVersion = copy.version();
      }
    }
    return tree;
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
    ObjectNode element = JsonNodeFactory.instance.objectNode();
    element.set("change", record.event());
    element.set("snap", snapshot);
    return element;
  }
}
