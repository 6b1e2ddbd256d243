package io.zproc.bench;

import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import reactor.core.Disposable;

/**
 * Watching at scale, in one JVM through the public API (issue 16's table): the cost of a {@code
 * put} of an unwatched key while 0, 100, 1,000 and 10,000 {@code whenEqual} wait on other keys, and
 * the time one {@code put} takes to release 10,000 {@code whenEqual} of its key. The server is
 * embedded; the writer and the watchers are separate clients on the in-JVM path (a client's own
 * changes do not wake its watchers).
 *
 * <p>Run: {@code java -cp <classpath> io.zproc.bench.WatchScaleBench} (system properties {@code
 * bench.puts}, 20000; {@code bench.rounds}, 5; {@code bench.keys}, 1000000; {@code bench.cases}, a
 * comma-separated subset of {@code put,release,big,snapshot,memory,remote}, all by default). Prints
 * medians of rounds, then {@code get} and {@code popItem} in a namespace of {@code bench.keys} keys
 * against one of 10, then the cases of {@link ScaleExtras}: {@code put} latency beside a reader
 * taking snapshots of the big namespace, heap per key and per idle watcher, and the release of
 * 10,000 waits held by a child process over its socket.
 */
public final class WatchScaleBench {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private WatchScaleBench() {}

  public static void main(String[] args) throws Exception {
    int puts = Integer.getInteger("bench.puts", 20_000);
    int rounds = Integer.getInteger("bench.rounds", 5);
    String cases = System.getProperty("bench.cases", "put,release,big,snapshot,memory,remote");
    int[] watcherCounts = {0, 100, 1_000, 10_000};
    ZProcOptions client = ZProcOptions.defaults().spareProcesses(0);
    try (ZProcServer server =
            ZProcServer.start(
                "tcp://127.0.0.1:0", ServerOptions.defaults().maxWatchesPerConnection(100_000));
        ZProc writerCtx = ZProc.connect(server.address(), client);
        ZProc watcherCtx = ZProc.connect(server.address(), client)) {
      double[][] putMicros = new double[watcherCounts.length][rounds];
      double[] releaseMillis = new double[rounds];
      for (int round = 0; round < rounds && has(cases, "put"); round++) {
        for (int w = 0; w < watcherCounts.length; w++) {
          String ns = "scale-" + round + "-" + w;
          State writer = writerCtx.state(ns);
          State watcher = watcherCtx.state(ns);
          List<Disposable> waits = new ArrayList<>();
          for (int i = 0; i < watcherCounts[w]; i++) {
            waits.add(watcher.whenEqual("k" + i, 1).subscribe());
          }
          putMicros[w][round] = putMicros(writer, puts);
          waits.forEach(Disposable::dispose);
        }
      }
      for (int round = 0; round < rounds && has(cases, "release"); round++) {
        releaseMillis[round] = releaseMillis(writerCtx, watcherCtx, "release-" + round, 10_000);
      }
      for (int w = 0; w < watcherCounts.length && has(cases, "put"); w++) {
        System.out.printf(
            Locale.ROOT,
            "put of an unwatched key, %,6d whenEqual on other keys: median %.2f us/put %s%n",
            watcherCounts[w],
            median(putMicros[w]),
            Arrays.toString(round2(putMicros[w])));
      }
      if (has(cases, "release")) {
        System.out.printf(
            Locale.ROOT,
            "one put releasing 10,000 whenEqual of its key: median %.1f ms %s%n",
            median(releaseMillis),
            Arrays.toString(round2(releaseMillis)));
      }
      int keys = Integer.getInteger("bench.keys", 1_000_000);
      if (has(cases, "big")) {
        bigNamespace(writerCtx.state("big"), keys);
      }
      if (has(cases, "snapshot")) {
        ScaleExtras.putsBesideSnapshots(writerCtx.state("snap"), watcherCtx.state("snap"), keys);
      }
      if (has(cases, "memory")) {
        ScaleExtras.memory(writerCtx, watcherCtx, keys);
      }
      if (has(cases, "remote")) {
        ScaleExtras.remoteRelease(writerCtx, rounds);
      }
    }
  }

  private static boolean has(String cases, String name) {
    return Arrays.asList(cases.split(",")).contains(name);
  }

  /** {@code get} and {@code popItem} in a namespace of {@code keys} keys, against one of 10. */
  private static void bigNamespace(State state, int keys) {
    State small = state.namespace("small");
    for (int i = 0; i < 10; i++) {
      small.put("k" + i, i).block(WAIT);
    }
    long start = System.nanoTime();
    Map<String, Object> batch = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      batch.put("k" + i, i);
      if (batch.size() == 10_000) {
        state.putAll(batch).block(WAIT);
        batch.clear();
      }
    }
    state.putAll(batch).block(WAIT);
    double fillSeconds = (System.nanoTime() - start) / 1e9;
    int ops = 2_000;
    double[] micros = new double[4];
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
      micros[0] = timeMicros(ops, i -> small.get("k" + (i % 10)).block(WAIT));
      micros[1] = timeMicros(ops, i -> state.get("k" + (i * 7919 % keys)).block(WAIT));
      micros[2] = timeMicros(10, i -> small.popItem().block(WAIT));
      micros[3] = timeMicros(ops, i -> state.popItem().block(WAIT));
      for (int i = 0; i < 10; i++) {
        small.put("k" + i, i).block(WAIT);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%,d keys (filled in %.1f s): get %.2f us (10 keys: %.2f us), popItem %.2f us (10 keys:"
            + " %.2f us)%n",
        keys,
        fillSeconds,
        micros[1],
        micros[0],
        micros[3],
        micros[2]);
  }

  private static double timeMicros(int ops, IntConsumer op) {
    long start = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      op.accept(i);
    }
    return (System.nanoTime() - start) / 1000.0 / ops;
  }

  private static double putMicros(State writer, int puts) {
    for (int i = 0; i < puts / 4; i++) {
      writer.put("unwatched", i).block(WAIT);
    }
    long start = System.nanoTime();
    for (int i = 0; i < puts; i++) {
      writer.put("unwatched", i).block(WAIT);
    }
    return (System.nanoTime() - start) / 1000.0 / puts;
  }

  private static double releaseMillis(ZProc writerCtx, ZProc watcherCtx, String ns, int count)
      throws InterruptedException {
    State watcher = watcherCtx.state(ns);
    CountDownLatch released = new CountDownLatch(count);
    List<Disposable> waits = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      waits.add(watcher.whenEqual("go", 1).subscribe(s -> released.countDown()));
    }
    // a change of another key first: every wait is registered once it has been answered
    writerCtx.state(ns).put("warm", 1).block(WAIT);
    long start = System.nanoTime();
    writerCtx.state(ns).put("go", 1).block(WAIT);
    if (!released.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(released.getCount() + " waits were not released");
    }
    double millis = (System.nanoTime() - start) / 1e6;
    waits.forEach(Disposable::dispose);
    return millis;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  static double[] round2(double[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.round(values[i] * 100) / 100.0;
    }
    return out;
  }
}
