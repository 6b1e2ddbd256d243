package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.rsocket.testing.CancelRace;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.test.StepVerifier;

class FluxMapErrorTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void mapError_valuesAndCompletionPassThrough() {
    StepVerifier.create(FluxMapError.mapError(Flux.just(1, 2, 3), e -> new IllegalStateException()))
        .expectNext(1, 2, 3)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void mapError_errorIsReplacedByTheMappersResult() {
    Flux<Integer> failing =
        Flux.concat(Flux.just(1), Flux.error(new IllegalArgumentException("a")));
    StepVerifier.create(FluxMapError.mapError(failing, e -> new IllegalStateException("mapped", e)))
        .expectNext(1)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("mapped");
              assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
            })
        .verify(WAIT);
  }

  @Test
  void mapError_throwingMapper_deliversItsErrorWithTheOriginalSuppressed() {
    IllegalArgumentException original = new IllegalArgumentException("original");
    StepVerifier.create(
            FluxMapError.mapError(
                Flux.<Integer>error(original),
                e -> {
                  throw new IllegalStateException("mapper failed");
                }))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("mapper failed");
              assertThat(e.getSuppressed()).containsExactly(original);
            })
        .verify(WAIT);
  }

  @Test
  void mapError_requestsAndCancelReachTheSource() {
    AtomicBoolean cancelled = new AtomicBoolean();
    StepVerifier.create(
            FluxMapError.mapError(Flux.range(1, 100).doOnCancel(() -> cancelled.set(true)), e -> e),
            2)
        .expectNext(1, 2)
        .thenRequest(1)
        .expectNext(3)
        .thenCancel()
        .verify(WAIT);
    assertThat(cancelled).isTrue();
  }

  /** The reason this operator exists: no cancel is lost, whenever it comes (issue 3). */
  @Test
  void mapError_cancelRacingWithTheSubscription_alwaysReachesTheSource() {
    CancelRace.assertEveryCancelReachesTheSource(
        onCancel -> FluxMapError.mapError(Flux.<Integer>never().doOnCancel(onCancel), e -> e));
  }

  @Test
  void mapErrorOfAMono_mapsItsError_andPassesItsCancel() {
    StepVerifier.create(
            FluxMapError.mapError(
                Mono.<Integer>error(new IllegalStateException("raw")),
                e -> new IllegalArgumentException("mapped: " + e.getMessage())))
        .expectErrorMessage("mapped: raw")
        .verify(WAIT);
    AtomicBoolean cancelled = new AtomicBoolean();
    StepVerifier.create(
            FluxMapError.mapError(
                Mono.<Integer>never().doOnCancel(() -> cancelled.set(true)), e -> e))
        .expectSubscription()
        .thenCancel()
        .verify(WAIT);
    assertThat(cancelled).isTrue();
  }

  /** The lane and the direct path see a blocked caller through this operator. */
  @Test
  void aBlockedCaller_isSeenThroughTheOperator() {
    AtomicBoolean blocked = new AtomicBoolean();
    Mono<Integer> probe =
        new Mono<>() {
          @Override
          public void subscribe(CoreSubscriber<? super Integer> actual) {
            blocked.set(BlockedCaller.is(actual));
            Operators.complete(actual);
          }
        };

    FluxMapError.mapError(probe, e -> e).block(WAIT);
    assertThat(blocked).as("under block()").isTrue();

    FluxMapError.mapError(probe, e -> e).subscribe();
    assertThat(blocked).as("under subscribe()").isFalse();
  }
}
