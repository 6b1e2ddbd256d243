package io.zproc.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ZProc;
import io.zproc.rsocket.BlockedCaller;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Operators;

/**
 * The library's own blocking call sites ({@code asMap()}) tell the transport that their caller
 * blocks ({@link BlockedCaller#blocking}) instead of leaving it to recognise {@code block()}: the
 * operators of such a call are subscribed by a caller that said so. A user's {@code block()} says
 * nothing, and is left to {@link BlockedCaller#is} to recognise.
 */
class MapViewPathTest {
  private static final String HOOK = MapViewPathTest.class.getName();

  private final AtomicInteger said = new AtomicInteger();
  private final AtomicInteger unsaid = new AtomicInteger();
  private ZProc ctx;

  @BeforeEach
  void start() {
    ctx = ZProc.start();
    ctx.state().put("k", 1).block();
  }

  @AfterEach
  void close() {
    Hooks.resetOnEachOperator(HOOK);
    ctx.close();
  }

  /** From now on, counts the subscriptions of Reactor operators, by whether the caller said so. */
  private void countSubscriptions() {
    Hooks.onEachOperator(
        HOOK,
        Operators.lift(
            (scannable, subscriber) -> {
              (BlockedCaller.said(subscriber) ? said : unsaid).incrementAndGet();
              return subscriber;
            }));
  }

  @Test
  void asMap_saysItsCallerBlocks() {
    Map<String, Object> map = ctx.state().asMap();
    countSubscriptions();

    assertThat(map.get("k")).isEqualTo(1);
    map.put("k", 2);
    assertThat(map).hasSize(1).containsEntry("k", 2);

    // (the server's side of a direct call subscribes operators of its own, which say nothing)
    assertThat(said).as("operators subscribed by a caller that said it blocks").hasPositiveValue();
  }

  @Test
  void aUsersBlock_saysNothing() {
    countSubscriptions();

    assertThat(ctx.state().get("k").block()).isEqualTo(1);

    assertThat(said).hasValue(0);
    assertThat(unsaid).hasPositiveValue();
  }
}
