package io.zproc.internal.map;

import io.zproc.MapOptions;

/**
 * How many items the next batch of one {@code processMap} call holds. With a fixed size (an
 * explicit {@code MapOptions.chunkSize}) always that. Adaptive by default: starts at {@value
 * #START} item, and after each batch a worker reports how long it spent on it:
 *
 * <ul>
 *   <li>a batch that took less than {@link #LOW_NANOS} and was at least half full doubles the size
 *       (never past what the measured cost per item says fits in {@link #TARGET_NANOS});
 *   <li>two in a row that took more than {@link #HIGH_NANOS}, or one that took more than {@link
 *       #SURE_NANOS}, set the size to what fits in {@link #TARGET_NANOS} at the cost per item
 *       (items got expensive); a single batch a little over is taken for noise (the worker was
 *       descheduled: on a busy machine one batch in ten takes 2-4 ms for nothing);
 *   <li>a worker that idles while another holds a queued batch of the call halves it, when batches
 *       take {@link #LOW_NANOS} or more (shorter ones are not worth splitting: the wait is the
 *       read-ahead's, not the size's).
 * </ul>
 *
 * Never below 1 nor above the maximum. Not thread-safe (the pool's lock guards it); it reads no
 * clock: the durations are the workers' measurements ({@link WorkClock}: time waiting for a CPU
 * does not count).
 */
final class BatchSizer {
  /** The first batch's size. */
  static final int START = 1;

  /** Batches faster than this grow. */
  static final long LOW_NANOS = 1_000_000;

  /** Batches slower than this shrink. */
  static final long HIGH_NANOS = 2_000_000;

  /** A batch slower than this shrinks the size without waiting for a second one. */
  static final long SURE_NANOS = 10_000_000;

  /** The batch time the size aims at. */
  static final long TARGET_NANOS = 1_500_000;

  private final boolean fixed;
  private final int max;
  private int size;
  private boolean lastOver;
  private long lastNanos;

  private BatchSizer(boolean fixed, int size, int max) {
    this.fixed = fixed;
    this.size = size;
    this.max = max;
  }

  /** Always {@code size} items. */
  /**
   * A call's batch sizes: fixed if the options say so, else adaptive, up to the call's share of its
   * prefetch over its workers' slots.
   *
   * @param capacity batches in flight per worker
   */
  static BatchSizer of(MapOptions options, int capacity) {
    if (options.chunkSize() > 0) {
      return fixed(options.chunkSize());
    }
    int share = options.prefetch() / (capacity * options.count());
    return adaptive(Math.max(1, Math.min(MapOptions.MAX_ADAPTIVE_CHUNK, share)));
  }

  static BatchSizer fixed(int size) {
    return new BatchSizer(true, size, size);
  }

  /** Adaptive, up to {@code max} items. */
  static BatchSizer adaptive(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    return new BatchSizer(false, Math.min(START, max), max);
  }

  /** The size of the next batch. */
  int size() {
    return size;
  }

  /** The largest size this may reach. */
  int max() {
    return max;
  }

  /**
   * A worker spent {@code nanos} on a batch of {@code items} items.
   *
   * @param items the batch's size, at least 1 (others are ignored)
   * @param nanos the worker's time for it
   */
  void measured(int items, long nanos) {
    if (fixed || items < 1 || nanos < 0) {
      return;
    }
    lastNanos = nanos;
    long perItem = Math.max(1, nanos / items);
    long fits = Math.max(1, Math.min(max, TARGET_NANOS / perItem));
    if (nanos > HIGH_NANOS) {
      if (lastOver || nanos > SURE_NANOS) {
        size = (int) Math.min(size, fits);
      }
      lastOver = true;
      return;
    }
    lastOver = false;
    if (nanos < LOW_NANOS && items * 2 >= size) {
      size = (int) Math.max(size, Math.min(fits, 2L * size));
    }
  }

  /** A worker of the call sits idle while another holds a queued batch of it. */
  void idle() {
    if (!fixed && lastNanos >= LOW_NANOS) {
      size = Math.max(1, size / 2);
    }
  }

  @Override
  public String toString() {
    return (fixed ? "fixed " : "adaptive ") + size + " (max " + max + ")";
  }
}
