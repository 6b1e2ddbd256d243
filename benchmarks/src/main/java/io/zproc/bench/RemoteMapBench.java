package io.zproc.bench;

import io.zproc.MapOptions;
import io.zproc.MapTask;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Flux;

/**
 * {@code processMap} with remote workers against local worker JVMs, in one run: {@code bench.items}
 * (200,000) trivial items ({@code x -> (long) x * x}) with {@code count(2)} and default batches;
 * local: the context's 2 worker JVMs (pipes); remote: 2 {@code ZProcWorker.main} JVMs of 1 slot
 * each on this host, joined to the context's server over tcp (batches go through the server).
 * {@code bench.rounds} (7) alternating rounds after one warm-up round each; prints the median
 * items/s of each and their ratio.
 */
public final class RemoteMapBench {
  private RemoteMapBench() {}

  public static void main(String[] args) throws Exception {
    int items = Integer.getInteger("bench.items", 200_000);
    int rounds = Integer.getInteger("bench.rounds", 7);
    String key = "remote-map-bench";
    Path keyFile = Files.createTempFile("zproc-bench", ".key");
    Files.writeString(keyFile, key);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    List<Process> workers = new ArrayList<>();
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().secretKey(key).spareProcesses(0))) {
      for (int i = 0; i < 2; i++) {
        workers.add(worker(ctx.address(), keyFile));
      }
      MapOptions local = MapOptions.defaults().count(2);
      MapOptions remote = local.remote(true);
      MapTask<Integer, Long> task = x -> (long) x * x;
      run(ctx, items, task, local);
      run(ctx, items, task, remote);
      double[] l = new double[rounds];
      double[] r = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        l[i] = run(ctx, items, task, local);
        r[i] = run(ctx, items, task, remote);
      }
      double lm = median(l);
      double rm = median(r);
      System.out.printf(
          Locale.ROOT,
          "processMap %d trivial items, count(2): local worker JVMs %.0f items/s, remote workers"
              + " %.0f items/s (%.2fx), medians of %d%n  local %s%n  remote %s%n",
          items,
          lm,
          rm,
          rm / lm,
          rounds,
          Arrays.toString(l),
          Arrays.toString(r));
    } finally {
      for (Process p : workers) {
        p.destroy();
      }
      Files.deleteIfExists(keyFile);
    }
  }

  private static double run(ZProc ctx, int items, MapTask<Integer, Long> task, MapOptions o) {
    long start = System.nanoTime();
    Long last = ctx.processMap(Flux.range(0, items), task, o).last().block();
    long nanos = System.nanoTime() - start;
    if (last == null || last != (long) (items - 1) * (items - 1)) {
      throw new IllegalStateException("wrong last result " + last);
    }
    return Math.rint(items * 1e9 / nanos);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static Process worker(String address, Path keyFile) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.zproc.ZProcWorker",
                "--connect",
                address,
                "--secret-key-file",
                keyFile.toString(),
                "--slots",
                "1",
                "--allow",
                "io.zproc.bench.**")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("zproc worker joined")) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // discard
                    }
                  } catch (java.io.IOException e) {
                    // gone
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    throw new IllegalStateException("the worker JVM ended before it joined");
  }
}
