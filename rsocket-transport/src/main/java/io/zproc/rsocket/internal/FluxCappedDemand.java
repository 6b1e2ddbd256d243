package io.zproc.rsocket.internal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Passes the subscriber's demand upstream, but never more than {@code cap} elements outstanding at
 * once: a subscriber that asks for everything gets it in batches. Unlike {@code limitRate} it
 * neither prefetches nor buffers: a subscriber that asks for three gets three asked for, an error
 * arrives at once, and nothing is left in a queue on cancel (stream elements here are
 * reference-counted payloads).
 *
 * <p>Over a socket, each batch is a {@code REQUEST_N} frame; a new one goes out when half of the
 * outstanding demand has arrived. Signals pass through unchanged, on the thread they come on.
 */
public final class FluxCappedDemand<T> extends FluxOperator<T, T> {
  private final long cap;

  private FluxCappedDemand(Flux<? extends T> source, long cap) {
    super(source);
    this.cap = cap;
  }

  /** The source, asked for at most {@code cap} elements at a time. */
  public static <T> Flux<T> cap(Flux<? extends T> source, long cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, got " + cap);
    }
    return new FluxCappedDemand<>(Objects.requireNonNull(source, "source"), cap);
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new CappedSubscriber<>(actual, cap));
  }

  @Override
  public @Nullable Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  private static final class CappedSubscriber<T>
      implements CoreSubscriber<T>, Subscription, Scannable {
    private final CoreSubscriber<? super T> actual;
    private final long cap;
    private @Nullable Subscription upstream;

    /** Demand of the subscriber not yet passed upstream; {@code Long.MAX_VALUE} is unbounded. */
    private long unpassed;

    /** Demand passed upstream and not yet met. */
    private long outstanding;

    /** Demand decided on but not requested from upstream yet. */
    private long toRequest;

    /** Whether a thread is requesting from upstream now. */
    private boolean requesting;

    CappedSubscriber(CoreSubscriber<? super T> actual, long cap) {
      this.actual = actual;
      this.cap = cap;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public @Nullable Object scanUnsafe(Attr key) {
      if (key == Attr.ACTUAL) {
        return actual;
      }
      if (key == Attr.PARENT) {
        return upstream;
      }
      if (key == Attr.RUN_STYLE) {
        return Attr.RunStyle.SYNC;
      }
      return null;
    }

    @Override
    public void onSubscribe(Subscription s) {
      if (Operators.validate(upstream, s)) {
        upstream = s;
        actual.onSubscribe(this);
      }
    }

    @Override
    public void onNext(T value) {
      long ask;
      synchronized (this) {
        if (outstanding > 0) {
          outstanding--;
        }
        ask = outstanding <= cap / 2 ? pass() : 0;
      }
      actual.onNext(value);
      requestUpstream(ask);
    }

    @Override
    public void onError(Throwable error) {
      actual.onError(error);
    }

    @Override
    public void onComplete() {
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      long ask;
      synchronized (this) {
        unpassed = Operators.addCap(unpassed, n);
        ask = pass();
      }
      requestUpstream(ask);
    }

    /**
     * Requests from upstream one call at a time (Reactive Streams §2.7), even when the subscriber's
     * request and an element's arrival ask at once on two threads.
     */
    private void requestUpstream(long ask) {
      synchronized (this) {
        toRequest = Operators.addCap(toRequest, ask);
        if (toRequest == 0 || requesting) {
          return;
        }
        requesting = true;
      }
      for (; ; ) {
        long n;
        synchronized (this) {
          n = toRequest;
          toRequest = 0;
          if (n == 0) {
            requesting = false;
            return;
          }
        }
        Objects.requireNonNull(upstream).request(n);
      }
    }

    /** Moves demand from unpassed to outstanding, up to the cap; the amount to request. */
    private long pass() {
      long ask = Math.min(unpassed, cap - outstanding);
      if (ask <= 0) {
        return 0;
      }
      if (unpassed != Long.MAX_VALUE) {
        unpassed -= ask;
      }
      outstanding += ask;
      return ask;
    }

    @Override
    public void cancel() {
      Objects.requireNonNull(upstream).cancel();
    }
  }
}
