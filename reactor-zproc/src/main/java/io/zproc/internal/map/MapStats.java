package io.zproc.internal.map;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a context's {@code processMap} calls did, counted where batches come back (striped adders,
 * no lock): items mapped and batches, and the size of the last batch. Read by the metrics binder.
 * Thread-safe.
 */
public final class MapStats {
  private final LongAdder items = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private volatile int lastBatchSize;

  /** Counts a batch that came back with {@code results} items mapped. */
  void batchDone(int results) {
    items.add(results);
    batches.increment();
    lastBatchSize = results;
  }

  /** Items mapped so far, by every call. */
  public long items() {
    return items.sum();
  }

  /** Batches that came back so far. */
  public long batches() {
    return batches.sum();
  }

  /** The items of the last batch that came back (the size batches have now); 0 before any. */
  public int lastBatchSize() {
    return lastBatchSize;
  }
}
