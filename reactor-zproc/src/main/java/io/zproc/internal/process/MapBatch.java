package io.zproc.internal.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A batch of one call's items, {@code first ...}, on its way to a worker or in one. */
final class MapBatch {
  final long id;
  final MapRun<?> run;
  final long first;
  final Object[] items;
  private byte @Nullable [] bytes;

  /** Exit codes of the workers that died running it (guarded by the pool). */
  final List<Integer> deaths = new ArrayList<>();

  MapBatch(long id, MapRun<?> run, long first, Object[] items) {
    this.id = id;
    this.run = run;
    this.first = first;
    this.items = items;
  }

  /** The items, serialized once (on a worker's sender thread). */
  synchronized byte[] bytes() throws IOException {
    byte[] b = bytes;
    if (b == null) {
      b = Wire.serialize(items);
      bytes = b;
    }
    return b;
  }

  long last() {
    return first + items.length - 1;
  }
}
