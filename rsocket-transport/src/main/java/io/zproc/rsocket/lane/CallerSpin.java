package io.zproc.rsocket.lane;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lane client's polling policy: a caller polls its connection for the reply for a few
 * microseconds before sleeping in the selector, if no other caller of this JVM is polling ({@link
 * JvmWide#SPINNING}): on a virtual machine, waking a sleeping thread can take longer than the whole
 * round trip.
 *
 * <p>Whether polling paid off is kept per request kind, the request's operation name as the
 * transport sees it ({@link io.zproc.rsocket.WireRequest#op()}), which it does not interpret:
 * requests of one kind whose replies come at once keep polling while a kind that waits on the
 * server stops. The server-side counterpart is {@link LaneSpin}.
 *
 * <p><b>Threading:</b> thread-safe.
 */
final class CallerSpin {
  /** How many request kinds are kept apart; later ones share one record. */
  private static final int MAX_KINDS = 64;

  private final long spinNanos;
  private final ConcurrentHashMap<String, Stats> kinds = new ConcurrentHashMap<>();
  private final Stats other = new Stats();

  /**
   * @param spinNanos the polling window; 0 turns polling off
   */
  CallerSpin(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  /** The statistics of one request kind. */
  Stats of(String kind) {
    Stats stats = kinds.get(kind);
    if (stats == null) {
      stats = kinds.size() < MAX_KINDS ? kinds.computeIfAbsent(kind, k -> new Stats()) : other;
    }
    return stats;
  }

  /** The statistics of requests of no kind in particular. */
  Stats other() {
    return other;
  }

  /**
   * Polls {@code channel} into {@code in} for the window, unless this kind's polls have not paid
   * off lately or another caller polls.
   *
   * @return whether bytes came
   * @throws IOException if the server closed the connection
   */
  boolean spun(SocketChannel channel, ByteBuffer in, Stats stats) throws IOException {
    if (spinNanos <= 0) {
      return false;
    }
    int call = stats.calls.incrementAndGet();
    if (call - stats.resume.get() < 0) {
      return false;
    }
    if (!JvmWide.SPINNING.compareAndSet(false, true)) {
      return false;
    }
    try {
      long until = System.nanoTime() + spinNanos;
      do {
        int read = channel.read(in);
        if (read < 0) {
          throw new IOException("the server closed the lane");
        }
        if (read > 0) {
          stats.misses.set(0);
          return true;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() < until);
      int misses = stats.misses.incrementAndGet();
      stats.resume.set(call + (1 << Math.min(misses, 6)));
      return false;
    } finally {
      JvmWide.SPINNING.set(false);
    }
  }

  /**
   * Polling statistics of one request kind: after polls that came back empty-handed (slow replies:
   * a busy machine, or a wait on the server), its calls skip polling for 2, 4, ... up to 64 calls;
   * one that succeeds starts over.
   */
  static final class Stats {
    final AtomicInteger misses = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger resume = new AtomicInteger();
  }
}
