package io.zproc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import io.zproc.rsocket.BlockedCaller;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.testing.CancelRace;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.test.StepVerifier;

/** {@link ZProcErrors}: the transport's errors as the library's, with no cancel lost. */
class ZProcErrorsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void valuesAndCompletionPassThrough() {
    StepVerifier.create(ZProcErrors.of(Flux.just(1, 2, 3)))
        .expectNext(1, 2, 3)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aWireException_becomesAZProcExceptionWithItsCode() {
    WireException wire = new WireException(WireException.CONNECTION_CLOSED, "gone");
    Flux<Integer> failing = Flux.concat(Flux.just(1), Flux.error(wire));
    StepVerifier.create(ZProcErrors.of(failing))
        .expectNext(1)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(ZProcException.class).hasMessage("gone").hasCause(wire);
              assertThat(((ZProcException) e).code()).isEqualTo(ErrorCode.CONNECTION_CLOSED);
            })
        .verify(WAIT);
  }

  @Test
  void anotherError_passesUnchanged() {
    IllegalStateException other = new IllegalStateException("not the transport's");
    StepVerifier.create(ZProcErrors.of(Mono.error(other)))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(other))
        .verify(WAIT);
  }

  @Test
  void requestsAndCancelReachTheSource() {
    AtomicBoolean cancelled = new AtomicBoolean();
    StepVerifier.create(ZProcErrors.of(Flux.range(1, 100).doOnCancel(() -> cancelled.set(true))), 2)
        .expectNext(1, 2)
        .thenRequest(1)
        .expectNext(3)
        .thenCancel()
        .verify(WAIT);
    assertThat(cancelled).isTrue();
  }

  /** The reason this operator exists: no cancel is lost, whenever it comes (issue 3). */
  @Test
  void aCancelRacingWithTheSubscription_alwaysReachesTheSource() {
    CancelRace.assertEveryCancelReachesTheSource(
        onCancel -> ZProcErrors.of(Mono.<Integer>never().doOnCancel(onCancel)));
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

    ZProcErrors.of(probe).block(WAIT);
    assertThat(blocked).as("under block()").isTrue();

    ZProcErrors.of(probe).subscribe();
    assertThat(blocked).as("under subscribe()").isFalse();
  }
}
