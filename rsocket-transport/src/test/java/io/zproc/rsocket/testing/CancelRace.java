package io.zproc.rsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.util.RaceTestUtils;

/**
 * The check that an operator never loses a cancel that races with its subscription (issue 3):
 * shared by the transport's {@code FluxMapError} and reactor-zproc's {@code ZProcErrors}.
 */
public final class CancelRace {
  private CancelRace() {}

  /**
   * 1,000 times: subscribes to what {@code operatorOnASource} makes of a source that never signals
   * and runs its argument when cancelled, cancels from another thread as soon as the subscription
   * is there, and asserts that the cancel reached the source.
   */
  public static void assertEveryCancelReachesTheSource(
      Function<Runnable, Publisher<Integer>> operatorOnASource) {
    for (int i = 0; i < 1_000; i++) {
      AtomicBoolean sourceCancelled = new AtomicBoolean();
      AtomicReference<Subscription> subscription = new AtomicReference<>();
      Flux<Integer> mapped = Flux.from(operatorOnASource.apply(() -> sourceCancelled.set(true)));
      RaceTestUtils.race(
          () ->
              mapped.subscribe(
                  new BaseSubscriber<Integer>() {
                    @Override
                    protected void hookOnSubscribe(Subscription s) {
                      subscription.set(s);
                      s.request(Long.MAX_VALUE);
                    }
                  }),
          () -> {
            Subscription s;
            while ((s = subscription.get()) == null) {
              Thread.onSpinWait();
            }
            s.cancel();
          });
      assertThat(sourceCancelled).as("attempt %d", i).isTrue();
    }
  }
}
