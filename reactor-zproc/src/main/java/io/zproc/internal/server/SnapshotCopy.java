package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Replies;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A copy of a namespace made mostly outside its lock: the slots of a {@link OrderedData.View} are
 * read without the lock ({@link #read}); the keys that changed since the view's version then take
 * the values the changes noted for the copy ({@link SharedTrees#changing}); the tree is built
 * without the lock ({@link #tree}).
 */
final class SnapshotCopy {
  private final long version;
  private final OrderedData.Slot[] present;
  private final JsonNode[] values;
  private final int size;

  private SnapshotCopy(long version, OrderedData.Slot[] present, JsonNode[] values, int size) {
    this.version = version;
    this.present = present;
    this.values = values;
    this.size = size;
  }

  /** Reads a view's slots present at its version, with their values as they are now. */
  static @Nullable SnapshotCopy read(OrderedData.View view) {
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
    return new SnapshotCopy(at, present, values, n);
  }

  long version() {
    return version;
  }

  /**
   * The namespace at the view's version, {"ver", "m"}.
   *
   * @param changed the keys changed since, with their values at the view's version
   */
  ObjectNode tree(Map<String, @Nullable JsonNode> changed) {
    ObjectNode map = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < size; i++) {
      String key = present[i].key;
      JsonNode value = changed.containsKey(key) ? changed.get(key) : values[i];
      if (value != null) {
        map.set(key, value);
      }
    }
    return new Replies.StateReply(version, map).encode();
  }
}
