package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The namespace's watch index holds exactly the open watches: ended ones leave no entry. */
class WatchIndexTest {
  private final Namespace ns = new Namespace("n", 64, 1 << 20, Clock.systemUTC());
  private final Watch.Budget budget = new Watch.Budget(1_000_000);

  /** Accepts changes of "k" whose value is 1; once it has seen k = 1, wants every change. */
  private final class KeyIsOne implements Watch.Filter {
    volatile boolean passed;

    @Override
    public boolean accept(ChangeRecord record) {
      for (int i = 0; i < record.keys.length; i++) {
        if (record.keys[i].equals("k")) {
          passed = record.after[i] != null && record.after[i].intValue() == 1;
        }
      }
      return passed && !"self".equals(record.origin);
    }

    @Override
    public boolean wantsEveryChange() {
      return passed;
    }
  }

  private Flux<JsonNode> keyed(Watch.Filter filter, boolean once) {
    return Watch.changes(ns, -1, new String[] {"k"}, filter, true, once, budget);
  }

  private Flux<JsonNode> unkeyed(boolean once) {
    return Watch.changes(ns, -1, null, r -> true, false, once, budget);
  }

  @Test
  void answeredCancelledAndWidenedWatches_leaveNoIndexEntry() {
    Disposable cancelled = keyed(new KeyIsOne(), true).subscribe();
    Disposable stream = unkeyed(false).subscribe();
    KeyIsOne widening = new KeyIsOne();
    List<JsonNode> answers = new ArrayList<>();
    keyed(widening, true).subscribe(answers::add);
    assertThat(ns.watchCount()).isEqualTo(3);
    assertThat(ns.indexEntries()).isEqualTo(3);

    cancelled.dispose();
    // its own change makes k pass: the wait widens to every change, and the next by another
    // answers it
    ns.put("k", IntNode.valueOf(1), "self");
    ns.signal();
    assertThat(widening.passed).isTrue();
    assertThat(ns.indexEntries()).as("widened: keyed and unkeyed").isEqualTo(3);
    ns.put("other", IntNode.valueOf(2), "them");
    ns.signal();

    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).get("snap").get("m").get("other").intValue()).isEqualTo(2);
    stream.dispose();
    assertThat(ns.watchCount()).isZero();
    assertThat(ns.indexEntries()).isZero();
  }

  @Test
  void watchersReleasedByOneChange_shareOneElement() {
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keyed(new KeyIsOne(), true).subscribe(answers::add);
    }
    ns.put("k", IntNode.valueOf(1), "them");
    ns.signal();
    assertThat(answers).hasSize(3);
    assertThat(answers.get(1)).isSameAs(answers.get(0));
    assertThat(answers.get(2)).isSameAs(answers.get(0));
    assertThat(answers.get(0).get("change").get("ver").longValue()).isEqualTo(1);
    assertThat(ns.indexEntries()).isZero();
  }

  @RepeatedTest(10)
  void cancelRacingWithWidening_leavesNoIndexEntry() throws InterruptedException {
    int watches = 200;
    List<Disposable> waits = new ArrayList<>();
    for (int i = 0; i < watches; i++) {
      waits.add(keyed(new KeyIsOne(), true).subscribe());
    }
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger done = new AtomicInteger();
    Schedulers.boundedElastic()
        .schedule(
            () -> {
              await(go);
              ns.put("k", IntNode.valueOf(1), "self"); // widens them all
              ns.signal();
              done.incrementAndGet();
            });
    Schedulers.boundedElastic()
        .schedule(
            () -> {
              await(go);
              waits.forEach(Disposable::dispose);
              done.incrementAndGet();
            });
    go.countDown();
    StepVerifier.create(Flux.interval(Duration.ofMillis(1)).takeUntil(t -> done.get() == 2))
        .thenConsumeWhile(t -> true)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(ns.watchCount()).isZero();
    assertThat(ns.indexEntries()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
