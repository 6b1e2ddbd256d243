package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class FluxCappedDemandTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void unboundedSubscriber_askedInBatchesOfAtMostTheCap() {
    List<Long> requests = new CopyOnWriteArrayList<>();

    FluxCappedDemand.cap(Flux.range(0, 1000).doOnRequest(requests::add), 64)
        .as(StepVerifier::create)
        .expectNextCount(1000)
        .expectComplete()
        .verify(TIMEOUT);

    assertThat(requests).allSatisfy(n -> assertThat(n).isBetween(1L, 64L));
    assertThat(requests.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void smallDemand_passedExactly_noPrefetch() {
    List<Long> requests = new CopyOnWriteArrayList<>();

    FluxCappedDemand.cap(Flux.range(0, 100).doOnRequest(requests::add), 64)
        .as(flux -> StepVerifier.create(flux, 0))
        .thenRequest(3)
        .expectNext(0, 1, 2)
        .expectNoEvent(Duration.ofMillis(20))
        .thenRequest(2)
        .expectNext(3, 4)
        .thenCancel()
        .verify(TIMEOUT);

    assertThat(requests).containsExactly(3L, 2L);
  }

  @Test
  void errorAfterElements_deliveredAtOnce_notHeldBehindUnrequestedDemand() {
    TestPublisher<Integer> source = TestPublisher.create();

    FluxCappedDemand.cap(source.flux(), 8)
        .as(flux -> StepVerifier.create(flux, 1))
        .then(() -> source.next(1))
        .expectNext(1)
        .then(() -> source.error(new IllegalStateException("gone")))
        .expectErrorMessage("gone")
        .verify(TIMEOUT);
  }

  @Test
  void cancel_reachesTheSource() {
    TestPublisher<Integer> source = TestPublisher.create();

    FluxCappedDemand.cap(source.flux(), 8)
        .as(StepVerifier::create)
        .then(() -> source.next(1, 2))
        .expectNext(1, 2)
        .thenCancel()
        .verify(TIMEOUT);

    source.assertCancelled();
  }

  @Test
  void cap_zero_refusedWithItsValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> FluxCappedDemand.cap(Flux.just(1), 0))
        .withMessageContaining("got 0");
  }

  /**
   * Any sequence of requests: the elements delivered never exceed what the subscriber asked for,
   * and the outstanding demand upstream never exceeds the cap.
   */
  @Property(tries = 200)
  void anyRequests_neverMoreThanAskedNorOverTheCap(
      @ForAll @IntRange(min = 1, max = 50) int cap,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 200) Integer> asks) {
    AtomicLong outstanding = new AtomicLong();
    AtomicLong maxOutstanding = new AtomicLong();
    List<Integer> received = new ArrayList<>();
    Flux<Integer> source =
        Flux.range(0, 10_000)
            .doOnRequest(n -> maxOutstanding.accumulateAndGet(outstanding.addAndGet(n), Math::max))
            .doOnNext(i -> outstanding.decrementAndGet());

    StepVerifier.Step<Integer> step =
        FluxCappedDemand.cap(source, cap)
            .doOnNext(received::add)
            .as(flux -> StepVerifier.create(flux, 0));
    long total = 0;
    for (int ask : asks) {
      total += ask;
      step = step.thenRequest(ask).expectNextCount(ask);
    }
    step.thenCancel().verify(TIMEOUT);

    assertThat(received).hasSize((int) total);
    assertThat(maxOutstanding.get()).isLessThanOrEqualTo(cap);
  }
}
