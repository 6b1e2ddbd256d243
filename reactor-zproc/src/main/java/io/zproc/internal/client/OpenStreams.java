package io.zproc.internal.client;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server streams that one subscription to a watch has opened (one per connection attempt),
 * cancelled directly when that subscription is cancelled.
 *
 * <p>Why not just let the cancel travel up the pipeline: a watch re-opens its stream after a
 * dropped connection ({@code retryWhen}), and a {@code callWhen*} loop concatenates. Reactor
 * arbitrates the subscriptions of such operators, and its arbiter (reactor-core 3.8) loses a cancel
 * that races with installing a subscription (reactor/reactor-core#4398): the stream installed then
 * stays open, and so does its server watch until the connection closes. The cancel that reaches the
 * watch's outer end ({@link #mono}, {@link #flux}) cancels each stream registered with {@link
 * #track} itself, whatever arbiter lies between; below that point the pipeline has no arbiter.
 *
 * <p><b>Threading:</b> thread-safe; a cancel may race with a subscription on any thread.
 */
final class OpenStreams {
  private final Disposable.Composite open = Disposables.composite();

  private OpenStreams() {}

  /** A Mono whose streams, registered with {@link #track}, are cancelled when it is cancelled. */
  static <T> Mono<T> mono(Function<OpenStreams, Mono<T>> pipeline) {
    return Mono.defer(
        () -> {
          OpenStreams streams = new OpenStreams();
          return pipeline.apply(streams).doOnCancel(streams.open::dispose);
        });
  }

  /** A Flux whose streams, registered with {@link #track}, are cancelled when it is cancelled. */
  static <T> Flux<T> flux(Function<OpenStreams, Flux<T>> pipeline) {
    return Flux.defer(
        () -> {
          OpenStreams streams = new OpenStreams();
          return pipeline.apply(streams).doOnCancel(streams.open::dispose);
        });
  }

  /**
   * The stream, each subscription to it registered until it terminates: a subscription made after
   * the cancel is cancelled at once. Between the stream's source and this point, operators must not
   * arbitrate subscriptions.
   */
  <T> Flux<T> track(Flux<T> stream) {
    return Flux.defer(
        () -> {
          Registration registration = new Registration();
          return stream
              .doOnSubscribe(registration::opened)
              .doFinally(signal -> open.remove(registration));
        });
  }

  /** One subscription to a tracked stream. */
  private final class Registration implements Disposable {
    private volatile @Nullable Subscription subscription;
    private volatile boolean cancelled;

    void opened(Subscription s) {
      subscription = s;
      open.add(this); // disposes this at once if the watch was already cancelled
    }

    @Override
    public void dispose() {
      cancelled = true;
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    @Override
    public boolean isDisposed() {
      return cancelled;
    }
  }
}
