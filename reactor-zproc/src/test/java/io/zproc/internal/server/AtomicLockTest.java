package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The atomic lock's lease, in virtual time: a holder that neither commits nor releases loses the
 * lock to the first waiter once its lease has run out, and not a moment before; the sweep that
 * hands it on runs on the injected scheduler and reads the injected clock.
 */
class AtomicLockTest {
  private final Object monitor = new Object();

  private static ObjectNode granted(long token) {
    ObjectNode state = JsonNodeFactory.instance.objectNode();
    state.put("tok", token);
    return state;
  }

  private static long leaseMillis() {
    return TimeUnit.NANOSECONDS.toMillis(AtomicLock.LEASE_NANOS);
  }

  @Test
  void holderSilentPastItsLease_firstWaiterGetsTheLock_notBefore() {
    StepVerifier.withVirtualTime(
            () -> {
              VirtualTimeScheduler time = VirtualTimeScheduler.get();
              assertThat(time.now(TimeUnit.NANOSECONDS)).isZero();
              AtomicLock lock =
                  new AtomicLock(
                      monitor,
                      "n",
                      AtomicLockTest::granted,
                      time,
                      () -> time.now(TimeUnit.NANOSECONDS));
              assertThat(lock.begin(waiter("A", new JsonNode[1], 0), 0))
                  .as("A holds it at once")
                  .isNotNull();
              return Mono.<JsonNode>create(
                  sink -> {
                    long now = time.now(TimeUnit.NANOSECONDS);
                    assertThat(lock.begin(new AtomicLock.Waiter("B", sink), now)).isNull();
                  });
            })
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(leaseMillis()))
        .thenAwait(Duration.ofMillis(2))
        .assertNext(state -> assertThat(state.get("tok").asLong()).isEqualTo(2))
        .verifyComplete();
  }

  @Test
  void holderCommitsWithinItsLease_waitersGetTheLockInTurn_sweepGivesNothingAway() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    AtomicLock lock =
        new AtomicLock(
            monitor, "n", AtomicLockTest::granted, time, () -> time.now(TimeUnit.NANOSECONDS));
    JsonNode[] got = new JsonNode[3];
    AtomicLock.Grant a =
        lock.begin(waiter("A", got, 0), time.now(TimeUnit.NANOSECONDS), Integer.MAX_VALUE);
    assertThat(a).isNotNull();
    assertThat(lock.begin(waiter("B", got, 1), time.now(TimeUnit.NANOSECONDS))).isNull();
    assertThat(lock.begin(waiter("C", got, 2), time.now(TimeUnit.NANOSECONDS))).isNull();

    time.advanceTimeBy(Duration.ofMillis(leaseMillis() / 2));
    AtomicLock.Grant b;
    synchronized (monitor) {
      assertThat(lock.holds(a.state().get("tok").asLong())).isTrue();
      b = lock.handOff(time.now(TimeUnit.NANOSECONDS)); // A commits
    }
    b.deliver();
    assertThat(got[1].get("tok").asLong()).isEqualTo(2);

    // B renews within its lease: the sweep, due at A's lease, must not hand the lock to C
    time.advanceTimeBy(Duration.ofMillis(leaseMillis() / 2 + 1));
    assertThat(got[2]).as("C waits: B's lease runs from its grant").isNull();
    time.advanceTimeBy(Duration.ofMillis(leaseMillis()));
    assertThat(got[2]).as("C, once B kept the lock past its lease").isNotNull();
    assertThat(got[2].get("tok").asLong()).isEqualTo(3);
    time.dispose();
  }

  private static AtomicLock.Waiter waiter(String owner, JsonNode[] got, int slot) {
    AtomicLock.Waiter[] made = new AtomicLock.Waiter[1];
    Mono.<JsonNode>create(sink -> made[0] = new AtomicLock.Waiter(owner, sink))
        .subscribe(state -> got[slot] = state);
    return made[0];
  }
}
