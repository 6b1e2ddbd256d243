package io.zproc.bench;

import io.zproc.ProcessOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;

/**
 * The cases of issue 16 beyond one JVM's put and release (see {@link WatchScaleBench}): a writer's
 * {@code put} latency while another client takes snapshots of a large namespace in a loop, heap per
 * key and per idle watcher, and the release of 10,000 waits that a child process holds over its
 * socket. Public API only.
 */
final class ScaleExtras {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private ScaleExtras() {}

  /**
   * {@code put} p50/p99 in a namespace of {@code keys} keys, alone and while another client takes
   * {@code snapshot()} of it in a loop.
   */
  static void putsBesideSnapshots(State writer, State reader, int keys)
      throws InterruptedException {
    fill(writer, keys);
    long runNanos = TimeUnit.SECONDS.toNanos(Integer.getInteger("bench.snapSeconds", 5));
    for (int pass = 0; pass < 2; pass++) { // the first pass warms up
      long[] alone = putLatencies(writer, runNanos);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger snapshots = new AtomicInteger();
      Thread loop =
          new Thread(
              () -> {
                while (!stop.get()) {
                  if (reader.snapshot().block(WAIT).size() < keys) {
                    throw new IllegalStateException("a snapshot lost keys");
                  }
                  snapshots.incrementAndGet();
                }
              },
              "snapshot-loop");
      loop.start();
      long start = System.nanoTime();
      long[] beside = putLatencies(writer, runNanos);
      double seconds = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      loop.join();
      if (pass == 1) {
        System.out.printf(
            Locale.ROOT,
            "put in a namespace of %,d keys (%,d and %,d puts): alone p50 %.1f us p99 %.1f us max %.1f ms; while"
                + " another client takes snapshots (%d in %.1f s): p50 %.1f us p99 %.1f us max"
                + " %.1f ms; p99 ratio %.2f%n",
            keys,
            alone.length,
            beside.length,
            pct(alone, 50) / 1e3,
            pct(alone, 99) / 1e3,
            alone[alone.length - 1] / 1e6,
            snapshots.get(),
            seconds,
            pct(beside, 50) / 1e3,
            pct(beside, 99) / 1e3,
            beside[beside.length - 1] / 1e6,
            pct(beside, 99) / pct(alone, 99));
      }
    }
    writer.clear().block(WAIT);
  }

  /** Puts for a while, one every 50 us at most; their latencies, sorted. */
  private static long[] putLatencies(State writer, long runNanos) {
    long[] nanos = new long[1 << 16];
    int n = 0;
    long start = System.nanoTime();
    long next = start;
    while (System.nanoTime() - start < runNanos) {
      while (System.nanoTime() < next) {
        Thread.onSpinWait();
      }
      long t = System.nanoTime();
      writer.put("w", n).block(WAIT);
      if (n == nanos.length) {
        nanos = Arrays.copyOf(nanos, n * 2);
      }
      nanos[n++] = System.nanoTime() - t;
      next = t + 50_000;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    return sorted;
  }

  private static double pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) ((long) sorted.length * p / 100))];
  }

  /**
   * Heap per key (a namespace of {@code keys} keys) and per idle watcher, in-JVM and over a socket.
   */
  static void memory(ZProc writerCtx, ZProc watcherCtx, int keys) throws InterruptedException {
    long before = usedHeap();
    State big = writerCtx.state("memory-keys");
    fill(big, keys);
    long filled = usedHeap();
    System.out.printf(
        Locale.ROOT,
        "heap: %,d keys (k<i> -> int) %.1f MB, %.0f bytes a key (the server's entries and"
            + " journal)%n",
        keys,
        (filled - before) / 1e6,
        (filled - before) / (double) keys);
    big.clear().block(WAIT);

    int watchers = 10_000;
    State watcher = watcherCtx.state("memory-watch");
    writerCtx.state("memory-watch").put("warm", 0).block(WAIT);
    long idle = usedHeap();
    List<Disposable> waits = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      waits.add(watcher.whenEqual("k" + i, 1).subscribe());
    }
    writerCtx.state("memory-watch").put("warm", 1).block(WAIT);
    long held = usedHeap();
    waits.forEach(Disposable::dispose);
    System.out.printf(
        Locale.ROOT,
        "heap: %,d idle whenEqual waits on the in-JVM path %.1f MB, %.0f bytes a watcher (client"
            + " and server)%n",
        watchers,
        (held - idle) / 1e6,
        (held - idle) / (double) watchers);

    // over a socket: a child holds the waits; this JVM is the server
    long serverIdle = usedHeap();
    ZProcess<Long> child =
        writerCtx.process(
            state -> {
              List<Disposable> remote = new ArrayList<>();
              for (int i = 0; i < 10_000; i++) {
                remote.add(state.namespace("memory-remote").whenEqual("k" + i, 1).subscribe());
              }
              Thread.sleep(3_000); // their second requests reach the server
              state.namespace("memory-remote").put("held", 1).block();
              state.namespace("memory-remote").whenEqual("release", 1).block();
              remote.forEach(Disposable::dispose);
              return 0L;
            },
            ProcessOptions.defaults());
    writerCtx.state("memory-remote").whenEqual("held", 1).block(WAIT);
    long serverHeld = usedHeap();
    writerCtx.state("memory-remote").put("release", 1).block(WAIT);
    child.result().block(WAIT);
    System.out.printf(
        Locale.ROOT,
        "heap: 10,000 idle whenEqual waits of a child over its socket %.1f MB in the server, %.0f"
            + " bytes a watcher%n",
        (serverHeld - serverIdle) / 1e6,
        (serverHeld - serverIdle) / 10_000.0);
  }

  /**
   * One put releasing 10,000 waits that a child process holds over its one connection: from the put
   * to the child's last release, on the machine's monotonic clock (shared by both JVMs).
   */
  static void remoteRelease(ZProc ctx, int rounds) {
    double[] millis = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      String ns = "remote-release-" + round;
      ZProcess<Long> child =
          ctx.process(
              state -> {
                State s = state.namespace(ns);
                int n = 10_000;
                CountDownLatch released = new CountDownLatch(n);
                AtomicLong last = new AtomicLong();
                List<Disposable> waits = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                  waits.add(
                      s.whenEqual("go", 1)
                          .subscribe(
                              snap -> {
                                last.accumulateAndGet(System.nanoTime(), Math::max);
                                released.countDown();
                              }));
                }
                Thread.sleep(3_000); // their second requests reach the server
                s.put("ready", 1).block();
                if (!released.await(60, TimeUnit.SECONDS)) {
                  throw new IllegalStateException(released.getCount() + " waits not released");
                }
                return last.get();
              },
              ProcessOptions.defaults());
      State s = ctx.state(ns);
      s.whenEqual("ready", 1).block(WAIT);
      long start = System.nanoTime();
      s.put("go", 1).block(WAIT);
      long last = child.result().block(WAIT);
      millis[round] = (last - start) / 1e6;
    }
    System.out.printf(
        Locale.ROOT,
        "one put releasing 10,000 whenEqual held by a child over one connection: median %.1f ms"
            + " %s%n",
        WatchScaleBench.median(millis),
        Arrays.toString(WatchScaleBench.round2(millis)));
  }

  private static void fill(State state, int keys) {
    Map<String, Object> batch = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      batch.put("k" + i, i);
      if (batch.size() == 10_000) {
        state.putAll(batch).block(WAIT);
        batch.clear();
      }
    }
    state.putAll(batch).block(WAIT);
  }

  private static long usedHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
