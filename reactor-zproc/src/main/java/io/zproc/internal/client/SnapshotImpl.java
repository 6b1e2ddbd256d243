package io.zproc.internal.client;

import io.zproc.Snapshot;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An unmodifiable, insertion-ordered copy with a version. */
final class SnapshotImpl extends AbstractMap<String, Object> implements Snapshot {
  private final Map<String, Object> values;
  private final long version;

  SnapshotImpl(LinkedHashMap<String, Object> values, long version) {
    this.values = Collections.unmodifiableMap(values);
    this.version = version;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return values.entrySet();
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    return values.get(key);
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return values.containsKey(key);
  }

  @Override
  public int size() {
    return values.size();
  }

  @Override
  public String toString() {
    return "Snapshot@" + version + values;
  }
}
