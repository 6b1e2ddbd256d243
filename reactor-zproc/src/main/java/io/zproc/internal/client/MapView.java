package io.zproc.internal.client;

import io.zproc.Snapshot;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The blocking {@link ConcurrentMap} view of a state: each call is one server round trip. Map
 * semantics: a null value counts as absent for putIfAbsent (and so for compute and merge).
 */
final class MapView extends AbstractMap<String, Object> implements ConcurrentMap<String, Object> {
  private final StateClient state;

  MapView(StateClient state) {
    this.state = state;
  }

  @Override
  public @Nullable Object get(Object key) {
    return key instanceof String ? state.get((String) key).block() : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String && Boolean.TRUE.equals(state.containsKey((String) key).block());
  }

  @Override
  public boolean containsValue(Object value) {
    return Boolean.TRUE.equals(state.containsValue(value).block());
  }

  @Override
  public @Nullable Object put(String key, @Nullable Object value) {
    return state.putAndGet(key, value).block();
  }

  @Override
  public @Nullable Object remove(Object key) {
    return key instanceof String ? state.remove((String) key).block() : null;
  }

  @Override
  public boolean remove(Object key, Object value) {
    return key instanceof String
        && Boolean.TRUE.equals(state.removeIf((String) key, value).block());
  }

  @Override
  public @Nullable Object putIfAbsent(String key, @Nullable Object value) {
    return state.putIfAbsent(key, value, true).block();
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    return Boolean.TRUE.equals(state.replaceIf(key, oldValue, newValue).block());
  }

  @Override
  public @Nullable Object replace(String key, Object value) {
    return state.replace(key, value).block();
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    state.putAll(new java.util.LinkedHashMap<String, Object>(m)).block();
  }

  @Override
  public void clear() {
    state.clear().block();
  }

  @Override
  public int size() {
    Integer size = state.size().block();
    return size == null ? 0 : size;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        Snapshot snapshot = Objects.requireNonNull(state.snapshot().block());
        Iterator<Entry<String, Object>> it = snapshot.entrySet().iterator();
        return new Iterator<>() {
          private @Nullable Entry<String, Object> last;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Entry<String, Object> next() {
            Entry<String, Object> e = it.next();
            last = e;
            return new WriteThroughEntry(e.getKey(), e.getValue());
          }

          @Override
          public void remove() {
            Entry<String, Object> e = last;
            if (e == null) {
              throw new IllegalStateException("next() was not called");
            }
            last = null;
            state.remove(e.getKey()).block();
          }
        };
      }

      @Override
      public int size() {
        return MapView.this.size();
      }

      @Override
      public void clear() {
        MapView.this.clear();
      }
    };
  }

  /** An entry whose setValue writes to the server. */
  private final class WriteThroughEntry extends SimpleEntry<String, Object> {
    private static final long serialVersionUID = 1L;

    WriteThroughEntry(String key, @Nullable Object value) {
      super(key, value);
    }

    @Override
    public Object setValue(Object value) {
      Object old = super.setValue(value);
      state.put(getKey(), value).block();
      return old;
    }
  }

  @Override
  public String toString() {
    try {
      return super.toString();
    } catch (RuntimeException e) {
      return "MapView[" + state + "]";
    }
  }
}
