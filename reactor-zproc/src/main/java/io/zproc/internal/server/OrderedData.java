package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A namespace's entries in insertion order (an update keeps a key's place), which also gives the
 * most recently inserted key in amortized O(1): what {@code popItem} takes. Java 17's {@code
 * LinkedHashMap} has no way to reach its last entry but to walk them all (5.8 ms a {@code popItem}
 * at 1,000,000 keys).
 *
 * <p>Keys are pushed on a stack when inserted; removals leave them there, and a key on the top of
 * the stack that is no longer present is dropped when met. A present key's newest push is always
 * its topmost, so the topmost present key is the last inserted. The stack is rebuilt from the map
 * when stale pushes outnumber the entries. Values are never null (JSON null is a node). Not
 * thread-safe: the namespace's monitor guards it. Only {@code put}, {@code remove} and {@code
 * clear} change it.
 */
final class OrderedData extends LinkedHashMap<String, JsonNode> {
  private static final long serialVersionUID = 1L;

  private final ArrayList<String> pushes = new ArrayList<>();

  @Override
  public @Nullable JsonNode put(String key, JsonNode value) {
    JsonNode previous = super.put(key, value);
    if (previous == null) {
      pushes.add(key);
    }
    return previous;
  }

  @Override
  public @Nullable JsonNode remove(Object key) {
    JsonNode previous = super.remove(key);
    if (previous != null && pushes.size() > 2 * size() + 64) {
      pushes.clear();
      pushes.addAll(keySet());
    }
    return previous;
  }

  @Override
  public void clear() {
    super.clear();
    pushes.clear();
  }

  /** The most recently inserted key still present, or null when empty. */
  @Nullable String lastKey() {
    for (int top = pushes.size() - 1; top >= 0; top--) {
      String key = pushes.get(top);
      if (containsKey(key)) {
        return key;
      }
      pushes.remove(top);
    }
    return null;
  }
}
