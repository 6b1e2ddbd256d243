package io.zproc.internal.client;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The mutable copy an atomic task works on: records which keys the task touched (its dependencies),
 * or that it looked at the whole map.
 */
final class TrackingMap extends AbstractMap<String, Object> {
  private final LinkedHashMap<String, Object> data;
  private final Set<String> touched = new LinkedHashSet<>();
  private boolean all;

  TrackingMap(LinkedHashMap<String, Object> data) {
    this.data = data;
  }

  Set<String> touched() {
    return touched;
  }

  boolean readAll() {
    return all;
  }

  LinkedHashMap<String, Object> data() {
    return data;
  }

  private void touch(@Nullable Object key) {
    if (key instanceof String) {
      touched.add((String) key);
    }
  }

  @Override
  public @Nullable Object get(Object key) {
    touch(key);
    return data.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    touch(key);
    return data.containsKey(key);
  }

  @Override
  public @Nullable Object put(String key, @Nullable Object value) {
    touch(key);
    return data.put(key, value);
  }

  @Override
  public @Nullable Object remove(Object key) {
    touch(key);
    return data.remove(key);
  }

  @Override
  public @Nullable Object getOrDefault(Object key, @Nullable Object defaultValue) {
    touch(key);
    return data.getOrDefault(key, defaultValue);
  }

  @Override
  public @Nullable Object putIfAbsent(String key, @Nullable Object value) {
    touch(key);
    return data.putIfAbsent(key, value);
  }

  @Override
  public @Nullable Object compute(
      String key, BiFunction<? super String, ? super @Nullable Object, ?> f) {
    touch(key);
    return data.compute(key, f);
  }

  @Override
  public @Nullable Object computeIfAbsent(String key, Function<? super String, ?> f) {
    touch(key);
    return data.computeIfAbsent(key, f);
  }

  @Override
  public @Nullable Object computeIfPresent(
      String key, BiFunction<? super String, ? super Object, ?> f) {
    touch(key);
    return data.computeIfPresent(key, f);
  }

  @Override
  public @Nullable Object merge(
      String key, Object value, BiFunction<? super Object, ? super Object, ?> f) {
    touch(key);
    return data.merge(key, value, f);
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    m.keySet().forEach(this::touch);
    data.putAll(m);
  }

  @Override
  public int size() {
    all = true;
    return data.size();
  }

  @Override
  public boolean isEmpty() {
    all = true;
    return data.isEmpty();
  }

  @Override
  public boolean containsValue(Object value) {
    all = true;
    return data.containsValue(value);
  }

  @Override
  public void clear() {
    all = true;
    data.clear();
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    all = true;
    return data.entrySet();
  }

  @Override
  public Set<String> keySet() {
    all = true;
    return data.keySet();
  }

  @Override
  public Collection<Object> values() {
    all = true;
    return data.values();
  }
}
