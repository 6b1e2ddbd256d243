package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.internal.process.Child;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;

class MapDispatchTest {
  static final MapPool.Flavor KIND = StubWorker.KIND;

  private final MapPool pool =
      new MapPool(
          new Child.Spec("tcp://127.0.0.1:1", "ns", null, false, null),
          () -> {
            throw new AssertionError("no state in these tests");
          });
  private final MapDispatch dispatch = new MapDispatch();
  private final List<String> assigned = new ArrayList<>();

  @AfterEach
  void close() {
    pool.close();
  }

  /** A call of {@code items} items (already received, source done), batches of {@code size}. */
  static MapRun<Object> run(MapPool pool, long id, int count, int size, int items) {
    MapRun<Object> run =
        new MapRun<>(
            pool,
            id,
            new BaseSubscriber<Object>() {},
            new byte[0],
            null,
            KIND,
            count,
            BatchSizer.fixed(size),
            1 << 20,
            3);
    for (int i = 0; i < items; i++) {
      run.onNext(id * 1000 + i);
    }
    run.onComplete();
    return run;
  }

  private int dispatch(List<MapRun<?>> runs, List<MapWorker> workers) {
    synchronized (pool) {
      return dispatch.dispatch(
          runs,
          flavor -> workers,
          (run, worker, batch) -> {
            worker.inFlight.put(batch.id, batch);
            run.load.merge(worker, 1, Integer::sum);
            run.inFlight++;
            assigned.add(run.id + "->" + ((StubWorker) worker).name + ":" + batch.items.length);
          });
    }
  }

  @Test
  void dispatch_twoCalls_takeTurns() {
    MapRun<Object> a = run(pool, 1, 2, 1, 10);
    MapRun<Object> b = run(pool, 2, 2, 1, 10);
    List<MapWorker> workers =
        List.of(new StubWorker(pool, "w1", true), new StubWorker(pool, "w2", true));
    assertThat(dispatch(List.of(a, b), workers)).isEqualTo(4);
    // one batch per call per turn; the next turn starts with the next call
    assertThat(assigned).containsExactly("1->w1:1", "2->w2:1", "2->w1:1", "1->w2:1");
  }

  @Test
  void dispatch_workerRoom_isTwoBatches() {
    MapRun<Object> a = run(pool, 1, 3, 5, 100);
    List<MapWorker> workers =
        List.of(new StubWorker(pool, "w1", true), new StubWorker(pool, "w2", true));
    assertThat(dispatch(List.of(a), workers)).isEqualTo(4);
    assertThat(workers).allSatisfy(w -> assertThat(w.inFlight).hasSize(MapPool.CAPACITY));
  }

  @Test
  void dispatch_callCount_limitsTheWorkersItUses() {
    MapRun<Object> a = run(pool, 1, 1, 5, 100);
    StubWorker w1 = new StubWorker(pool, "w1", true);
    StubWorker w2 = new StubWorker(pool, "w2", true);
    assertThat(dispatch(List.of(a), List.of(w1, w2))).isEqualTo(2);
    assertThat(w1.inFlight).hasSize(2);
    assertThat(w2.inFlight).isEmpty();
  }

  @Test
  void dispatch_prefersTheLeastBusyThenTheReadyWorker() {
    StubWorker starting = new StubWorker(pool, "starting", false);
    StubWorker ready = new StubWorker(pool, "ready", true);
    MapRun<Object> a = run(pool, 1, 2, 5, 5);
    assertThat(dispatch(List.of(a), List.of(starting, ready))).isEqualTo(1);
    assertThat(assigned).containsExactly("1->ready:5");
    MapRun<Object> b = run(pool, 2, 2, 5, 5);
    dispatch(List.of(b), List.of(starting, ready));
    assertThat(assigned).containsExactly("1->ready:5", "2->starting:5");
  }

  @Test
  void dispatch_deadWorker_getsNothing() {
    StubWorker dead = new StubWorker(pool, "dead", true);
    dead.dead = true;
    MapRun<Object> a = run(pool, 1, 2, 5, 20);
    assertThat(dispatch(List.of(a), List.of(dead))).isZero();
    assertThat(dead.inFlight).isEmpty();
  }

  @Test
  void dispatch_lastItems_splitAcrossIdleWorkers() {
    MapRun<Object> a = run(pool, 1, 4, 100, 10);
    List<MapWorker> workers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      workers.add(new StubWorker(pool, "w" + i, true));
    }
    assertThat(dispatch(List.of(a), workers)).isEqualTo(4);
    assertThat(assigned).containsExactly("1->w1:3", "1->w2:3", "1->w3:2", "1->w4:2");
  }

  @Test
  void dispatch_noRuns_handsOutNothing() {
    assertThat(dispatch(List.of(), List.of(new StubWorker(pool, "w1", true)))).isZero();
  }
}
