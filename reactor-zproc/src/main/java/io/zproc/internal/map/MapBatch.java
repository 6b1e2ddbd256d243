package io.zproc.internal.map;

import java.util.ArrayList;
import java.util.List;

/** A batch of one call's items, {@code first ...}, on its way to a worker or in one. */
final class MapBatch {
  final long id;
  final MapRun<?> run;
  final long first;
  final Object[] items;

  /** Exit codes of the workers that died running it (guarded by the pool). */
  final List<Integer> deaths = new ArrayList<>();

  MapBatch(long id, MapRun<?> run, long first, Object[] items) {
    this.id = id;
    this.run = run;
    this.first = first;
    this.items = items;
  }

  long last() {
    return first + items.length - 1;
  }
}
