package io.zproc.internal.client;

import io.zproc.Snapshot;
import io.zproc.rsocket.BlockedCaller;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The blocking {@link ConcurrentMap} view of a state: each call is one server round trip. Map
 * semantics: a null value counts as absent for putIfAbsent (and so for compute and merge).
 */
final class MapView extends AbstractMap<String, Object> implements ConcurrentMap<String, Object> {
  private final StateClient state;

  MapView(StateClient state) {
    this.state = state;
  }

  /**
   * Waits for one call's reply, saying so to the transport ({@link BlockedCaller#blocking}): the
   * call takes the way of a blocked caller (the lane's pooled connection on this thread; on the
   * direct path, the reply without a thread hop) by this call site's word, not by recognising
   * {@code block()}.
   */
  private static <T> @Nullable T await(Mono<T> reply) {
    return BlockedCaller.blocking(reply).block();
  }

  @Override
  public @Nullable Object get(Object key) {
    return key instanceof String ? await(state.get((String) key)) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String && Boolean.TRUE.equals(await(state.containsKey((String) key)));
  }

  @Override
  public boolean containsValue(Object value) {
    return Boolean.TRUE.equals(await(state.containsValue(value)));
  }

  @Override
  public @Nullable Object put(String key, @Nullable Object value) {
    return await(state.putAndGet(key, value));
  }

  @Override
  public @Nullable Object remove(Object key) {
    return key instanceof String ? await(state.remove((String) key)) : null;
  }

  @Override
  public boolean remove(Object key, Object value) {
    return key instanceof String && Boolean.TRUE.equals(await(state.removeIf((String) key, value)));
  }

  @Override
  public @Nullable Object putIfAbsent(String key, @Nullable Object value) {
    return await(state.putIfAbsent(key, value, true));
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    return Boolean.TRUE.equals(await(state.replaceIf(key, oldValue, newValue)));
  }

  @Override
  public @Nullable Object replace(String key, Object value) {
    return await(state.replace(key, value));
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    await(state.putAll(new java.util.LinkedHashMap<String, Object>(m)));
  }

  @Override
  public void clear() {
    await(state.clear());
  }

  @Override
  public int size() {
    Integer size = await(state.size());
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
        Snapshot snapshot = Objects.requireNonNull(await(state.snapshot()));
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
            await(state.remove(e.getKey()));
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
      await(state.put(getKey(), value));
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
