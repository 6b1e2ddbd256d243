package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * {@link BlockedCaller} recognises a caller inside {@code block()} by the names of Reactor's
 * internal subscriber classes. These tests pin what it relies on: if a Reactor upgrade renames
 * them, they fail with a message saying what changed, instead of the lane and the direct path
 * silently taking their slower way.
 */
class BlockedCallerTest {
  private static final String FIX =
      " BlockedCaller.detected recognises subscribers by the names of Reactor's internal classes"
          + " (BlockedCaller.KINDS); update it for this Reactor version.";

  /** A source that records the subscriber it is subscribed with, then completes. */
  private static final class Probe extends Mono<Integer> {
    final List<CoreSubscriber<?>> seen = new ArrayList<>();

    @Override
    public void subscribe(CoreSubscriber<? super Integer> actual) {
      seen.add(actual);
      Operators.complete(actual);
    }

    CoreSubscriber<?> only() {
      assertThat(seen).as("subscriptions of the probe").hasSize(1);
      return seen.get(0);
    }
  }

  private static void assertBlocking(String call, Consumer<Probe> use, boolean expected) {
    Probe probe = new Probe();
    use.accept(probe);
    CoreSubscriber<?> subscriber = probe.only();
    assertThat(BlockedCaller.detected(subscriber))
        .as(
            "%s subscribed with %s (%s); expected BlockedCaller.detected to say %s." + FIX,
            call,
            subscriber.getClass().getName(),
            expected ? "a caller blocked on exactly this reply" : "not such a caller",
            expected)
        .isEqualTo(expected);
  }

  @Test
  void reactorsBlockingSubscribers_stillNamedBlocking() {
    Probe probe = new Probe();
    probe.block();
    assertThat(probe.only().getClass().getName())
        .as("the subscriber of Mono.block() is no longer reactor.core.publisher.Blocking*." + FIX)
        .startsWith("reactor.core.publisher.Blocking");
  }

  @Test
  void blockingCalls_areSeen() {
    assertBlocking("Mono.block()", Mono::block, true);
    assertBlocking("Mono.blockOptional()", Mono::blockOptional, true);
    assertBlocking("Flux.blockFirst()", p -> Flux.from(p).blockFirst(), true);
    assertBlocking("Flux.blockLast()", p -> Flux.from(p).blockLast(), true);
    assertBlocking("Mono.map(..).block()", p -> p.map(i -> i).block(), true);
    assertBlocking("Mono.flatMap(..).block()", p -> Mono.just(1).flatMap(i -> p).block(), true);
  }

  @Test
  void concurrentOperatorsOrNoBlock_areNotSeen() {
    assertBlocking("Mono.subscribe()", Mono::subscribe, false);
    assertBlocking(
        "Flux.flatMap(..).blockLast()",
        p -> Flux.just(1).hide().flatMap(i -> p).blockLast(),
        false);
    assertBlocking(
        "Flux.merge(..).blockLast()", p -> Flux.merge(p, Mono.empty()).blockLast(), false);
    assertBlocking("Mono.zip(..).block()", p -> Mono.zip(p, Mono.just(1)).block(), false);
    assertBlocking("Mono.when(..).block()", p -> Mono.when(p, Mono.empty()).block(), false);
    assertBlocking(
        "Flux.parallel()..sequential().blockLast()",
        p -> Flux.just(1).hide().parallel().flatMap(i -> p).sequential().blockLast(),
        false);
  }

  @Test
  void aCallerThatSaysItBlocks_isOne_withoutBeingDetected() {
    Probe probe = new Probe();
    BlockedCaller.blocking(probe).subscribe();
    CoreSubscriber<?> subscriber = probe.only();
    assertThat(BlockedCaller.detected(subscriber)).as("detected under subscribe()").isFalse();
    assertThat(BlockedCaller.said(subscriber)).isTrue();
    assertThat(BlockedCaller.is(subscriber)).isTrue();
  }

  @Test
  void aCallerThatSaysNothing_isOneOnlyIfDetected() {
    Probe blocked = new Probe();
    blocked.block();
    assertThat(BlockedCaller.said(blocked.only())).isFalse();
    assertThat(BlockedCaller.is(blocked.only())).isTrue();
    Probe subscribed = new Probe();
    subscribed.subscribe();
    assertThat(BlockedCaller.is(subscribed.only())).isFalse();
  }
}
