package io.zproc.internal.client;

import io.zproc.ZProcException;
import io.zproc.rsocket.WireException;
import java.util.Objects;
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
 * The transport's errors as the library's: a {@link WireException} becomes a {@link ZProcException}
 * ({@link Errors#toZProc}); other signals, and other errors, pass unchanged.
 *
 * <p>Not {@code onErrorMap}: that is {@code onErrorResume}, whose subscription arbiter
 * (reactor-core 3.8) can lose a cancel racing with its subscription (reactor/reactor-core#4398),
 * which would leave the server's side open (a watch until the connection closes, an atomic's turn
 * queued). Here a cancel always reaches the source. No scheduling, no buffering; the operator is
 * transparent to Reactor's scanning ({@code Scannable.Attr.ACTUAL}), so the transport still sees a
 * caller blocked in {@code block()} through it.
 */
final class ZProcErrors<T> extends FluxOperator<T, T> {
  private ZProcErrors(Flux<? extends T> source) {
    super(source);
  }

  /** {@code source}, its {@link WireException} turned into a {@link ZProcException}. */
  static <T> Flux<T> of(Flux<? extends T> source) {
    return new ZProcErrors<>(Objects.requireNonNull(source, "source"));
  }

  /** The same for a Mono (a request that waits on the server must not lose its cancel either). */
  static <T> Mono<T> of(Mono<? extends T> source) {
    return Mono.fromDirect(of(Flux.from(source)));
  }

  /** What an error becomes. */
  static Throwable map(Throwable error) {
    return error instanceof WireException ? Errors.toZProc((WireException) error) : error;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    source.subscribe(new MapSubscriber<>(actual));
  }

  @Override
  public @Nullable Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  private static final class MapSubscriber<T>
      implements CoreSubscriber<T>, Subscription, Scannable {
    private final CoreSubscriber<? super T> actual;
    private @Nullable Subscription upstream;

    MapSubscriber(CoreSubscriber<? super T> actual) {
      this.actual = actual;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    /** Lets Reactor (and the transport's blocked-caller check) see through this operator. */
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
        mapped = map(error);
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
