package io.zproc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class OpenStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  /**
   * An operator that drops every cancel, as Reactor's subscription arbiter does when a cancel races
   * with installing a subscription (reactor/reactor-core#4398).
   */
  private static <T> Flux<T> losingCancel(Flux<T> source) {
    return Flux.from(
        actual ->
            source.subscribe(
                new CoreSubscriber<T>() {
                  @Override
                  public void onSubscribe(Subscription s) {
                    actual.onSubscribe(
                        new Subscription() {
                          @Override
                          public void request(long n) {
                            s.request(n);
                          }

                          @Override
                          public void cancel() {
                            // lost
                          }
                        });
                  }

                  @Override
                  public void onNext(T value) {
                    actual.onNext(value);
                  }

                  @Override
                  public void onError(Throwable error) {
                    actual.onError(error);
                  }

                  @Override
                  public void onComplete() {
                    actual.onComplete();
                  }
                }));
  }

  @Test
  void mono_cancel_reachesTrackedStreamThroughAnOperatorThatLosesIt() {
    AtomicBoolean streamCancelled = new AtomicBoolean();
    Mono<Integer> watch =
        OpenStreams.mono(
            streams ->
                Flux.<Integer>never()
                    .doOnCancel(() -> streamCancelled.set(true))
                    .transform(streams::track)
                    .transform(OpenStreamsTest::losingCancel)
                    .next());
    StepVerifier.create(watch).expectSubscription().thenCancel().verify(WAIT);
    assertThat(streamCancelled).isTrue();
  }

  @Test
  void flux_cancel_reachesEveryTrackedStreamThroughAnOperatorThatLosesIt() {
    AtomicBoolean first = new AtomicBoolean();
    AtomicBoolean second = new AtomicBoolean();
    Flux<Integer> watch =
        OpenStreams.flux(
            streams ->
                Flux.merge(
                        Flux.<Integer>never()
                            .doOnCancel(() -> first.set(true))
                            .transform(streams::track),
                        Flux.<Integer>never()
                            .doOnCancel(() -> second.set(true))
                            .transform(streams::track))
                    .transform(OpenStreamsTest::losingCancel));
    StepVerifier.create(watch).expectSubscription().thenCancel().verify(WAIT);
    assertThat(first).isTrue();
    assertThat(second).isTrue();
  }

  @Test
  void track_subscribedAfterTheCancel_isCancelledAtOnce() {
    AtomicReference<OpenStreams> captured = new AtomicReference<>();
    Flux<Integer> watch =
        OpenStreams.flux(
            streams -> {
              captured.set(streams);
              return Flux.never();
            });
    StepVerifier.create(watch).expectSubscription().thenCancel().verify(WAIT);
    AtomicBoolean lateCancelled = new AtomicBoolean();
    StepVerifier.create(
            captured.get().track(Flux.<Integer>never().doOnCancel(() -> lateCancelled.set(true))))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(50))
        .thenCancel()
        .verify(WAIT);
    assertThat(lateCancelled).isTrue();
  }

  @Test
  void track_streamThatCompleted_isNotCancelledLater() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Flux<Integer> watch =
        OpenStreams.flux(
            streams ->
                Flux.just(1)
                    .doOnCancel(() -> cancelled.set(true))
                    .transform(streams::track)
                    .concatWith(Flux.never()));
    // the cancel comes after the tracked stream completed (not inside its onNext)
    StepVerifier.create(watch)
        .expectNext(1)
        .expectNoEvent(Duration.ofMillis(20))
        .thenCancel()
        .verify(WAIT);
    assertThat(cancelled).isFalse();
  }
}
