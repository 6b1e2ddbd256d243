package io.zproc.rsocket;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * {@code onErrorMap} for streams, without a subscription arbiter: a cancel always reaches the
 * source. Reactor's {@code onErrorMap} is {@code onErrorResume}, whose arbiter (reactor-core 3.8)
 * can lose a cancel that races with its subscription (reactor/reactor-core#4398), which leaves the
 * stream behind it open (a server watch until the connection closes).
 *
 * <p>Signals pass through unchanged except the error, which the mapper replaces; a mapper that
 * throws delivers its own error (with the original suppressed). No scheduling, no buffering.
 */
public final class FluxMapError<T> extends FluxOperator<T, T> {
  private final Function<? super Throwable, ? extends Throwable> mapper;

  private FluxMapError(
      Flux<? extends T> source, Function<? super Throwable, ? extends Throwable> mapper) {
    super(source);
    this.mapper = mapper;
  }

  /** The source, its error replaced by {@code mapper(error)}. */
  public static <T> Flux<T> mapError(
      Flux<? extends T> source, Function<? super Throwable, ? extends Throwable> mapper) {
    return new FluxMapError<>(
        Objects.requireNonNull(source, "source"), Objects.requireNonNull(mapper, "mapper"));
  }

  /**
   * The same for a Mono (a request that may wait on the server, a watcher or a turn of the atomic
   * lock, must not lose its cancel either).
   */
  public static <T> Mono<T> mapError(
      Mono<? extends T> source, Function<? super Throwable, ? extends Throwable> mapper) {
    return Mono.fromDirect(mapError(Flux.from(source), mapper));
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new MapErrorSubscriber<>(actual, mapper));
  }

  @Override
  public @Nullable Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  private static final class MapErrorSubscriber<T>
      implements CoreSubscriber<T>, Subscription, Scannable {
    private final CoreSubscriber<? super T> actual;
    private final Function<? super Throwable, ? extends Throwable> mapper;
    private @Nullable Subscription upstream;

    MapErrorSubscriber(
        CoreSubscriber<? super T> actual, Function<? super Throwable, ? extends Throwable> mapper) {
      this.actual = actual;
      this.mapper = mapper;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    /** Lets Reactor (and {@link BlockedCaller#is}) see through this operator. */
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
        // Set before the subscriber can see this, so its cancel always has a target.
        upstream = s;
        actual.onSubscribe(this);
      }
    }

    @Override
    public void onNext(T value) {
      actual.onNext(value);
    }

    @Override
    public void onError(Throwable error) {
      Throwable mapped;
      try {
        mapped = Objects.requireNonNull(mapper.apply(error), "the error mapper returned null");
      } catch (Throwable e) {
        Exceptions.throwIfFatal(e);
        e.addSuppressed(error);
        mapped = e;
      }
      actual.onError(mapped);
    }

    @Override
    public void onComplete() {
      actual.onComplete();
    }

    @Override
    public void request(long n) {
      Objects.requireNonNull(upstream).request(n);
    }

    @Override
    public void cancel() {
      Objects.requireNonNull(upstream).cancel();
    }
  }
}
