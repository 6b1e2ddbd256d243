package io.zproc.rsocket.lane;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The lane server's select strategy: after the server answered a request that had waited (an atomic
 * lock handed on, a watcher woken), its event loop polls for the next frame for a few microseconds
 * ({@link io.zproc.rsocket.WireServerOptions#laneSpin()}, default 100; 0 turns it off) instead of
 * sleeping in {@code epoll_wait}. The client-side counterpart is {@link CallerSpin}.
 *
 * <p>The client that got such an answer usually acts on it at once: the next lock holder commits,
 * the woken watcher writes. On a virtual machine, waking a sleeping event loop costs as much as the
 * whole exchange, and it sits on the critical path of every atomic turn and watch round trip. A
 * window that sees no frame counts as a miss; after misses, the next 1, 3, 7, ... up to 63 windows
 * are skipped, and one that sees a frame starts over, so a server whose clients do not answer
 * promptly goes back to sleeping.
 *
 * <p><b>Threading:</b> {@link #handedOff()} may be called from any thread; {@link
 * #calculateStrategy} runs on the lane's single event loop.
 */
final class LaneSpin implements SelectStrategy {
  private final long spinNanos;
  private final LongSupplier clock;

  /** The end of the latest window; written by whoever answers, read by the loop. */
  private volatile long until;

  // Event-loop state.
  private long window;
  private boolean open;
  private boolean hit;
  private boolean skipped;
  private int misses;
  private int skip;

  /** A strategy with this window and the system's clock. */
  LaneSpin(long spinNanos) {
    this(spinNanos, System::nanoTime);
  }

  LaneSpin(long spinNanos, LongSupplier clock) {
    this.spinNanos = spinNanos;
    this.clock = clock;
  }

  /** Whether this strategy ever polls. */
  boolean enabled() {
    return spinNanos > 0;
  }

  /**
   * A reply went to a request that had waited on the server: its client may answer at once. Opens
   * (or extends) the polling window.
   */
  void handedOff() {
    if (spinNanos > 0) {
      until = clock.getAsLong() + spinNanos;
    }
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (spinNanos > 0) {
      long end = until;
      if (end != window) {
        // A hand-off while a window is still open extends it; otherwise a new window begins.
        if (!open || clock.getAsLong() - window >= 0) {
          account();
          open = true;
          hit = false;
          skipped = skip > 0;
          if (skipped) {
            skip--;
          }
        }
        window = end;
      }
      if (open && !skipped) {
        if (clock.getAsLong() - end < 0) {
          int ready = selectNow.get();
          if (ready > 0) {
            hit = true;
            return ready;
          }
          // Each turn is an epoll_wait(0) system call, pause enough; and BlockHound counts
          // Thread.onSpinWait as blocking (its error would end the event loop's thread).
          return SelectStrategy.CONTINUE;
        }
        account();
      }
    }
    return hasTasks ? selectNow.get() : SelectStrategy.SELECT;
  }

  /** Counts the window that ends (or is replaced) as a hit or a miss, once. */
  private void account() {
    if (!open) {
      return;
    }
    open = false;
    if (skipped) {
      return;
    }
    if (hit) {
      misses = 0;
    } else {
      misses = Math.min(misses + 1, 6);
      skip = (1 << misses) - 1;
    }
  }
}
