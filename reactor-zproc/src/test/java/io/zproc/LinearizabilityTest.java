package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Concurrent histories on one key, checked for linearizability (Wing and Gong's search): three
 * clients, each on its own connection and thread, run random {@code put}, {@code get}, {@code
 * remove}, {@code increment} and {@code atomic} calls and record when each was called and when it
 * answered; some order of all the calls that respects those intervals must explain every answer as
 * a single register would give it. A stale read, a lost increment or an atomic that committed over
 * another's write has no such order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinearizabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CLIENTS = 3;
  private static final int CALLS = 6;
  private static final int HISTORIES = 40;

  private ZProcServer server;
  private final List<ZProc> clients = new ArrayList<>();
  private ExecutorService threads;

  @BeforeAll
  void start() {
    server = ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().localSocket(false));
    ZProcOptions options =
        ZProcOptions.defaults().directPath(false).localSocket(false).spareProcesses(0);
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(ZProc.connect(server.address(), options));
    }
    threads = Executors.newFixedThreadPool(CLIENTS);
  }

  @AfterAll
  void stop() {
    threads.shutdownNow();
    clients.forEach(ZProc::close);
    server.close();
  }

  /** What a call did: its kind and argument, when it was made, what it answered and when. */
  record Call(String kind, long arg, long start, long end, @Nullable Long result) {}

  @Test
  void randomHistoriesOnOneKey_eachHasALinearization() throws Exception {
    SplittableRandom seeds = new SplittableRandom(20261207);
    for (int h = 0; h < HISTORIES; h++) {
      String ns = "lin-" + h;
      clients.get(0).state(ns).put("k", 0L).block(WAIT);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Call>>> runs = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        State state = clients.get(c).state(ns);
        SplittableRandom random = seeds.split();
        runs.add(threads.submit(() -> run(state, random, go)));
      }
      go.countDown();
      List<Call> history = new ArrayList<>();
      for (Future<List<Call>> run : runs) {
        history.addAll(run.get());
      }
      assertThat(linearizable(history, 0L)).as("history %d: %s", h, history).isTrue();
    }
  }

  private static List<Call> run(State state, SplittableRandom random, CountDownLatch go)
      throws InterruptedException {
    go.await();
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      long arg = random.nextInt(1, 5);
      long start = System.nanoTime();
      Long result;
      String kind;
      switch (random.nextInt(5)) {
        case 0:
          kind = "put";
          state.put("k", arg).block(WAIT);
          result = null;
          break;
        case 1:
          kind = "get";
          result = asLong(state.get("k").block(WAIT));
          break;
        case 2:
          kind = "remove";
          result = asLong(state.remove("k").block(WAIT));
          break;
        case 3:
          kind = "increment";
          result = state.increment("k", arg).block(WAIT);
          break;
        default:
          kind = "atomicDouble";
          result =
              asLong(
                  state
                      .atomic(
                          s -> {
                            Object now = s.get("k");
                            long next = now == null ? arg : ((Number) now).longValue() * 2;
                            s.put("k", next);
                            return next;
                          })
                      .block(WAIT));
      }
      calls.add(new Call(kind, arg, start, System.nanoTime(), result));
    }
    return calls;
  }

  private static @Nullable Long asLong(@Nullable Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  /**
   * Whether some order of the calls, each taking effect between its start and end, gives every
   * call's result from a register that starts at {@code initial}.
   */
  static boolean linearizable(List<Call> calls, @Nullable Long initial) {
    return search(calls, 0L, initial, new HashSet<>());
  }

  private static boolean search(
      List<Call> calls, long done, @Nullable Long value, Set<List<Object>> seen) {
    if (Long.bitCount(done) == calls.size()) {
      return true;
    }
    if (!seen.add(Arrays.asList(done, value))) {
      return false;
    }
    // the earliest end among the calls left: a call starting after it cannot come first
    long firstEnd = Long.MAX_VALUE;
    for (int i = 0; i < calls.size(); i++) {
      if ((done & (1L << i)) == 0) {
        firstEnd = Math.min(firstEnd, calls.get(i).end());
      }
    }
    for (int i = 0; i < calls.size(); i++) {
      Call call = calls.get(i);
      if ((done & (1L << i)) != 0 || call.start() > firstEnd) {
        continue;
      }
      Object[] step = apply(call, value);
      if (step != null && search(calls, done | (1L << i), (Long) step[0], seen)) {
        return true;
      }
    }
    return false;
  }

  /** The register after the call, if the call's result fits this value: {next}; else null. */
  private static Object @Nullable [] apply(Call call, @Nullable Long value) {
    switch (call.kind()) {
      case "put":
        return new Object[] {call.arg()};
      case "get":
        return Objects.equals(call.result(), value) ? new Object[] {value} : null;
      case "remove":
        return Objects.equals(call.result(), value) ? new Object[] {null} : null;
      case "increment":
        {
          long next = (value == null ? 0 : value) + call.arg();
          return Objects.equals(call.result(), next) ? new Object[] {next} : null;
        }
      default:
        {
          long next = value == null ? call.arg() : value * 2;
          return Objects.equals(call.result(), next) ? new Object[] {next} : null;
        }
    }
  }

  @Test
  void checker_staleReadAfterAWrite_notLinearizable() {
    List<Call> history = List.of(new Call("put", 3, 0, 10, null), new Call("get", 0, 20, 30, 0L));

    assertThat(linearizable(history, 0L)).isFalse();
    assertThat(linearizable(List.of(history.get(0), new Call("get", 0, 20, 30, 3L)), 0L)).isTrue();
  }

  @Test
  void checker_overlappingCalls_eitherOrderAccepted_lostIncrementRefused() {
    Call put = new Call("put", 3, 0, 100, null);
    Call readOld = new Call("get", 0, 50, 60, 0L);
    assertThat(linearizable(List.of(put, readOld), 0L)).as("the read went first").isTrue();

    Call first = new Call("increment", 1, 0, 10, 1L);
    Call lost = new Call("increment", 1, 20, 30, 1L);
    assertThat(linearizable(List.of(first, lost), 0L)).isFalse();
  }
}
