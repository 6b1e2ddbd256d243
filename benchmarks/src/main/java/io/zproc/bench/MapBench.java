package io.zproc.bench;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * Measures {@code processMap} throughput for a trivial task ({@code x -> x + 1} on {@code Integer}
 * items) against the chunk size, over worker JVMs and over worker threads. Each of the {@code
 * bench.runs} (5) rounds maps {@code bench.items} (200,000) items once per chunk size and backend,
 * in turn, on one context whose pool was warmed first (the workers are started and have run the
 * task). Chunk size 1 maps a tenth of the items. Reports the median items/s per setting. See {@code
 * docs/performance.md}.
 */
public final class MapBench {
  private static final int[] CHUNKS = {1, 4, 16, 64, 256, 1024};

  private MapBench() {}

  public static void main(String[] args) {
    int runs = Integer.getInteger("bench.runs", 5);
    int items = Integer.getInteger("bench.items", 200_000);
    int count = Integer.getInteger("bench.count", 2);
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      for (Backend backend : new Backend[] {Backend.JVM, Backend.THREAD}) {
        MapOptions options = MapOptions.defaults().count(count).backend(backend);
        // warm-up: start the workers and run every chunk size's path for a while
        for (int chunk : CHUNKS) {
          map(ctx, options.chunkSize(chunk), Math.min(items, 20_000));
        }
      }
      for (int round = 1; round <= runs; round++) {
        for (Backend backend : new Backend[] {Backend.JVM, Backend.THREAD}) {
          for (int chunk : CHUNKS) {
            int n = chunk == 1 ? items / 10 : items;
            double rate =
                map(ctx, MapOptions.defaults().count(count).backend(backend).chunkSize(chunk), n);
            rates.computeIfAbsent(backend + " chunk " + chunk, k -> new ArrayList<>()).add(rate);
            System.out.printf(
                Locale.ROOT, "round %d %s chunk %d: %,.0f items/s%n", round, backend, chunk, rate);
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT, "%nmedians over %d rounds, %d workers, %,d items:%n", runs, count, items);
    rates.forEach(
        (setting, values) -> {
          List<Double> sorted = new ArrayList<>(values);
          Collections.sort(sorted);
          System.out.printf(
              Locale.ROOT,
              "%-18s %,12.0f items/s  (min %,.0f, max %,.0f)%n",
              setting,
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1));
        });
  }

  /** Maps n items and returns items/s. */
  private static double map(ZProc ctx, MapOptions options, int n) {
    long start = System.nanoTime();
    Long last =
        ctx.processMap(Flux.range(0, n), (Integer x) -> x + 1, options)
            .count()
            .block(Duration.ofMinutes(5));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (last == null || last != n) {
      throw new IllegalStateException("expected " + n + " results, got " + last);
    }
    return n / seconds;
  }
}
