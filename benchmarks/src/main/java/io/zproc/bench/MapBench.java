package io.zproc.bench;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.MapTask;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code processMap} against its peers and its limits. Cases (arguments; all by default):
 *
 * <ul>
 *   <li>{@code trivial}: {@code bench.items} (1,000,000) items {@code x -> (long) x * x} with 2
 *       workers and default options, beside the same map in this JVM by {@code
 *       Flux.range(...).map(...)} and by {@code parallel(2).runOn(Schedulers.parallel())}, fixed
 *       chunk sizes (the best fixed size the defaults should reach 0.9× of), and worker threads;
 *   <li>{@code heavy}: 2,000 items of about 0.5 ms each (calibrated in a worker), 1 and 2 workers,
 *       defaults and fixed sizes;
 *   <li>{@code echo}: the same bytes through 2 child JVMs that only echo ({@link PipeEcho}): the
 *       pipes' limit;
 *   <li>{@code memory}: {@code bench.memItems} (10,000,000) items to a subscriber that requests one
 *       at a time, sampling the heap; run it with a small {@code -Xmx} to show it flat.
 * </ul>
 *
 * Each of the {@code bench.runs} (5) rounds runs every setting once, in turn, on one context whose
 * workers were warmed first. Reports medians. See {@code docs/performance.md}.
 */
public final class MapBench {
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private MapBench() {}

  /** Runs the cases named as arguments (all by default). */
  public static void main(String[] args) throws Exception {
    List<String> cases =
        args.length == 0 ? List.of("trivial", "heavy", "echo", "memory") : Arrays.asList(args);
    int runs = Integer.getInteger("bench.runs", 5);
    int items = Integer.getInteger("bench.items", 1_000_000);
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      if (cases.contains("trivial")) {
        trivial(ctx, runs, items, rates);
      }
      if (cases.contains("heavy")) {
        heavy(ctx, runs, rates);
      }
      if (cases.contains("echo")) {
        for (int round = 1; round <= runs; round++) {
          double rate = PipeEcho.run(2, items, MapOptions.MAX_ADAPTIVE_CHUNK);
          note(rates, round, "pipe echo, 2 child JVMs", rate);
        }
      }
      report(rates, runs);
      if (cases.contains("memory")) {
        memory(ctx, Integer.getInteger("bench.memItems", 10_000_000));
      }
    }
  }

  private static void trivial(ZProc ctx, int runs, int items, Map<String, List<Double>> rates) {
    MapOptions two = MapOptions.defaults().count(2);
    Map<String, Runnable> settings = new LinkedHashMap<>();
    settings.put(
        "in-JVM Flux.map",
        () -> check(Flux.range(0, items).map(x -> (long) x * x).count().block(LIMIT), items));
    settings.put(
        "in-JVM parallel(2).runOn",
        () ->
            check(
                Flux.range(0, items)
                    .parallel(2)
                    .runOn(Schedulers.parallel())
                    .map(x -> (long) x * x)
                    .sequential()
                    .count()
                    .block(LIMIT),
                items));
    settings.put("processMap, 2 JVMs, defaults", () -> square(ctx, two, items));
    for (int chunk : new int[] {1024, 4096, 16384}) {
      settings.put(
          "processMap, 2 JVMs, chunk " + chunk, () -> square(ctx, two.chunkSize(chunk), items));
    }
    settings.put(
        "processMap, 2 threads, defaults", () -> square(ctx, two.backend(Backend.THREAD), items));
    for (Runnable warm : settings.values()) {
      warm.run();
      warm.run();
    }
    List<Map.Entry<String, Runnable>> order = new ArrayList<>(settings.entrySet());
    for (int round = 1; round <= runs; round++) {
      // each round starts one setting later: no setting always follows the same one
      for (int k = 0; k < order.size(); k++) {
        Map.Entry<String, Runnable> s = order.get((k + round - 1) % order.size());
        long start = System.nanoTime();
        s.getValue().run();
        note(rates, round, s.getKey(), items / ((System.nanoTime() - start) / 1e9));
      }
    }
  }

  private static void square(ZProc ctx, MapOptions options, int n) {
    check(
        ctx.processMap(Flux.range(0, n), (Integer x) -> (long) x * x, options).count().block(LIMIT),
        n);
  }

  private static void heavy(ZProc ctx, int runs, Map<String, List<Double>> rates) {
    int items = 2000;
    long spins = calibrate(ctx);
    MapTask<Integer, Long> task = x -> spin(spins) + x;
    Map<String, MapOptions> settings = new LinkedHashMap<>();
    settings.put("heavy, 1 JVM, defaults", MapOptions.defaults().count(1));
    settings.put("heavy, 2 JVMs, defaults", MapOptions.defaults().count(2));
    for (int chunk : new int[] {1, 2, 4, 16}) {
      settings.put(
          "heavy, 2 JVMs, chunk " + chunk, MapOptions.defaults().count(2).chunkSize(chunk));
    }
    for (MapOptions o : settings.values()) {
      check(ctx.processMap(Flux.range(0, 200), task, o).count().block(LIMIT), 200);
    }
    List<Map.Entry<String, MapOptions>> order = new ArrayList<>(settings.entrySet());
    for (int round = 1; round <= runs; round++) {
      for (int k = 0; k < order.size(); k++) {
        Map.Entry<String, MapOptions> s = order.get((k + round - 1) % order.size());
        long start = System.nanoTime();
        check(ctx.processMap(Flux.range(0, items), task, s.getValue()).count().block(LIMIT), items);
        note(rates, round, s.getKey(), items / ((System.nanoTime() - start) / 1e9));
      }
    }
  }

  /** Spins of {@link #spin} that take about 0.5 ms in a warm worker JVM (measured there). */
  private static long calibrate(ZProc ctx) {
    long spins = 100_000;
    MapOptions one = MapOptions.defaults().count(1).chunkSize(1);
    for (int i = 0; i < 6; i++) {
      long n = spins;
      List<Long> took =
          new ArrayList<>(
              ctx.processMap(
                      Flux.range(0, 41),
                      (Integer x) -> {
                        long start = System.nanoTime();
                        spin(n);
                        return System.nanoTime() - start;
                      },
                      one)
                  .collectList()
                  .block(LIMIT));
      Collections.sort(took);
      spins = Math.max(1000, (long) (spins * (500_000.0 / Math.max(1, took.get(20)))));
    }
    System.out.printf(Locale.ROOT, "heavy item: %,d spins (about 0.5 ms in a worker)%n", spins);
    return spins;
  }

  static long spin(long n) {
    long x = 17;
    for (long i = 0; i < n; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x & 1;
  }

  /** One item at a time: the heap's peak (after collections, and as sampled). */
  private static void memory(ZProc ctx, int n) throws Exception {
    MapOptions two = MapOptions.defaults().count(2);
    for (int size : new int[] {n / 10, n}) {
      System.gc();
      AtomicLong sampled = new AtomicLong();
      resetPeaks();
      CountDownLatch done = new CountDownLatch(1);
      AtomicLong got = new AtomicLong();
      Thread sampler =
          new Thread(
              () -> {
                Runtime rt = Runtime.getRuntime();
                while (done.getCount() > 0) {
                  sampled.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      long start = System.nanoTime();
      ctx.processMap(Flux.range(0, size), (Integer x) -> (long) x * x, two)
          .subscribe(
              new BaseSubscriber<Long>() {
                @Override
                protected void hookOnSubscribe(Subscription s) {
                  s.request(1);
                }

                @Override
                protected void hookOnNext(Long value) {
                  got.incrementAndGet();
                  request(1);
                }

                @Override
                protected void hookFinally(reactor.core.publisher.SignalType type) {
                  done.countDown();
                }
              });
      done.await();
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.join();
      System.out.printf(
          Locale.ROOT,
          "one at a time, %,d items: %,d results in %.1f s (%,.0f items/s); heap peak after"
              + " collections %.1f MB, sampled used peak %.1f MB, max heap %.0f MB%n",
          size,
          got.get(),
          seconds,
          got.get() / seconds,
          collectionPeak() / 1e6,
          sampled.get() / 1e6,
          Runtime.getRuntime().maxMemory() / 1e6);
    }
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** The heap's largest use right after a collection, summed over its pools. */
  private static long collectionPeak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        sum += pool.getCollectionUsage().getUsed();
      }
    }
    return sum;
  }

  private static void check(Long count, int n) {
    if (count == null || count != n) {
      throw new IllegalStateException("expected " + n + " results, got " + count);
    }
  }

  private static void note(Map<String, List<Double>> rates, int round, String setting, double r) {
    rates.computeIfAbsent(setting, k -> new ArrayList<>()).add(r);
    System.out.printf(Locale.ROOT, "round %d %s: %,.0f items/s%n", round, setting, r);
  }

  private static void report(Map<String, List<Double>> rates, int runs) {
    System.out.printf(Locale.ROOT, "%nmedians over %d rounds:%n", runs);
    rates.forEach(
        (setting, values) -> {
          List<Double> sorted = new ArrayList<>(values);
          Collections.sort(sorted);
          System.out.printf(
              Locale.ROOT,
              "%-36s %,14.0f items/s  (min %,.0f, max %,.0f)%n",
              setting,
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1));
        });
  }
}
