package io.zproc.rsocket.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a message through at most once per interval and counts the rest, so that a peer which
 * triggers the same failure over and over cannot flood the log. Thread-safe and lock-free.
 */
public final class LogLimiter {
  private final long intervalNanos;
  private final AtomicLong last = new AtomicLong();
  private final AtomicLong occurrences = new AtomicLong();
  private final AtomicLong loggedAt = new AtomicLong();

  /** At most one message every {@code intervalNanos}. */
  public LogLimiter(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /**
   * Counts an occurrence at {@code nowNanos}.
   *
   * @return the occurrences since the last one logged (at least 1) if this one is to be logged, or
   *     0 if it is to be dropped
   */
  public long tryAcquire(long nowNanos) {
    long total = occurrences.incrementAndGet();
    long previous = last.get();
    if (previous != 0 && nowNanos - previous < intervalNanos) {
      return 0;
    }
    if (!last.compareAndSet(previous, nowNanos == 0 ? 1 : nowNanos)) {
      return 0;
    }
    return total - loggedAt.getAndSet(total);
  }
}
