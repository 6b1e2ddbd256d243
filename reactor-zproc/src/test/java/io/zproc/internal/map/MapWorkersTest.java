package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ZProcException;
import io.zproc.internal.process.Child;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The workers' lifecycle, on the calling thread and in virtual time. */
class MapWorkersTest {
  private static final MapPool.Flavor KIND = StubWorker.KIND;

  private final MapPool owner =
      new MapPool(
          new Child.Spec("tcp://127.0.0.1:1", "ns", null, false, null),
          () -> {
            throw new AssertionError("no state in these tests");
          });
  private final VirtualTimeScheduler timer = VirtualTimeScheduler.create();
  private final List<StubWorker> made = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private int wanted;
  private boolean inUse;
  private RuntimeException startError;

  private final MapWorkers workers =
      new MapWorkers(
          owner,
          new MapWorkers.Pool() {
            @Override
            public int wanted(MapPool.Flavor flavor) {
              return wanted;
            }

            @Override
            public boolean inUse(MapPool.Flavor flavor) {
              return inUse;
            }

            @Override
            public void joined(MapPool.Flavor flavor) {
              events.add("joined");
            }

            @Override
            public void cannotStart(MapPool.Flavor flavor, ZProcException error) {
              events.add("cannotStart: " + error.getMessage());
            }
          },
          flavor -> {
            if (startError != null) {
              throw startError;
            }
            StubWorker w = new StubWorker(owner, flavor, "w" + (made.size() + 1), false);
            made.add(w);
            return w;
          },
          new Inline(),
          timer);

  /** Runs tasks on the calling thread. */
  static final class Inline extends AbstractExecutorService {
    private boolean shutdown;

    @Override
    public void execute(Runnable command) {
      if (shutdown) {
        throw new java.util.concurrent.RejectedExecutionException("shut down");
      }
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  @AfterEach
  void close() {
    timer.dispose();
    owner.close();
  }

  private void use(int count, Duration keepAlive) {
    wanted = count;
    inUse = true;
    synchronized (owner) {
      workers.use(KIND, keepAlive);
    }
  }

  private void endUse() {
    inUse = false;
    wanted = 0;
    synchronized (owner) {
      workers.idleCheck(KIND);
    }
  }

  private List<MapWorker> group() {
    synchronized (owner) {
      return new ArrayList<>(workers.group(KIND));
    }
  }

  @Test
  void use_startsWhatTheCallsWant_andEachJoins() {
    use(3, Duration.ofSeconds(60));
    assertThat(made).hasSize(3).allSatisfy(w -> assertThat(w.begun).isTrue());
    assertThat(group()).containsExactlyElementsOf(made);
    assertThat(events).containsExactly("joined", "joined", "joined");
    use(2, Duration.ofSeconds(60)); // a smaller call starts none
    assertThat(made).hasSize(3);
  }

  @Test
  void use_factoryFails_tellsThePoolAndStartsNothing() {
    startError = new IllegalStateException("no java here");
    use(2, Duration.ofSeconds(60));
    assertThat(events)
        .hasSize(2)
        .allSatisfy(
            e -> assertThat(e).contains("cannot start a processMap worker", "no java here"));
    synchronized (owner) {
      assertThat(workers.starting(KIND)).isZero();
    }
    assertThat(group()).isEmpty();
  }

  @Test
  void idleCheck_noCallForTheKeepAlive_retiresTheWorkers() {
    use(2, Duration.ofSeconds(60));
    endUse();
    timer.advanceTimeBy(Duration.ofSeconds(59));
    assertThat(group()).hasSize(2);
    assertThat(made).noneMatch(w -> w.retired);
    timer.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(group()).isEmpty();
    assertThat(made).allMatch(w -> w.retired);
  }

  @Test
  void idleCheck_aCallWithinTheKeepAlive_keepsTheWorkers() {
    use(2, Duration.ofSeconds(60));
    endUse();
    timer.advanceTimeBy(Duration.ofSeconds(30));
    use(2, Duration.ofSeconds(60));
    timer.advanceTimeBy(Duration.ofSeconds(60));
    assertThat(group()).hasSize(2);
    assertThat(made).hasSize(2).noneMatch(w -> w.retired);
  }

  @Test
  void idleCheck_zeroKeepAlive_retiresAtOnce() {
    use(1, Duration.ZERO);
    endUse();
    assertThat(group()).isEmpty();
    assertThat(made).allMatch(w -> w.retired);
  }

  @Test
  void died_beforeReadyThreeTimesInARow_saysSoOnTheThird() {
    use(1, Duration.ofSeconds(60));
    int[] counts = new int[3];
    for (int i = 0; i < 3; i++) {
      MapWorker w = group().get(0);
      synchronized (owner) {
        counts[i] = workers.died(w);
        workers.ensure(KIND); // replaced
      }
    }
    assertThat(counts).containsExactly(0, 0, MapWorkers.START_FAILURES);
  }

  @Test
  void died_afterReady_isNoStartFailure() {
    use(1, Duration.ofSeconds(60));
    MapWorker w = group().get(0);
    synchronized (owner) {
      workers.died(workers.group(KIND).get(0));
      workers.ensure(KIND);
      workers.ready(workers.group(KIND).get(0));
      workers.died(workers.group(KIND).get(0));
      workers.ensure(KIND);
      assertThat(workers.died(workers.group(KIND).get(0))).isZero(); // the count started again
    }
    assertThat(w.dead).isFalse(); // marking dead is the pool's part
  }

  @Test
  void close_stopsEveryWorker_andStartsNoMore() {
    use(2, Duration.ofSeconds(60));
    List<MapWorker> all;
    synchronized (owner) {
      all = workers.close();
    }
    workers.stopAll(all);
    assertThat(made).allMatch(w -> w.retired);
    use(4, Duration.ofSeconds(60));
    assertThat(made).hasSize(2);
  }
}
