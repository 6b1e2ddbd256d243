package bench;

import io.zproc.ProcessOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a user meets, through the public API only: tasks in children that {@code process(...)}
 * starts with default options, short runs as well as warmed-up ones. One line of results per case;
 * medians of rounds. Cases: cpu, atomic, watch, spare, spawn, spawn8, rss (default: all).
 */
public final class UserPathBench {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private UserPathBench() {}

  public static void main(String[] args) throws Exception {
    List<String> cases =
        args.length == 0
            ? List.of("cpu", "atomic", "watch", "spare", "spawn", "spawn8", "rss")
            : Arrays.asList(args);
    ProcessOptions options = ProcessOptions.defaults();
    String extra = System.getProperty("bench.jvmOptions", "");
    if (!extra.isBlank()) {
      options = options.jvmOptions(extra.trim().split("\\s+"));
    }
    String env = System.getProperty("bench.env", "");
    if (!env.isBlank()) {
      String[] kv = env.split("=", 2);
      options = options.environment(kv[0], kv[1]);
    }
    if (Boolean.getBoolean("bench.lean")) {
      options = options.lean();
    }
    for (String c : cases) {
      try (ZProc ctx = ZProc.start()) {
        switch (c) {
          case "cpu" -> cpu(ctx, options);
          case "atomic" -> {
            atomic(ctx, options, 500);
            atomic(ctx, options, 5000);
          }
          case "watch" -> watch(ctx, options);
          case "spare" -> spare(ctx, options);
          case "spawn" -> {
            spawn(ctx, options, 200);
            spawn(ctx, options, 2000);
          }
          case "spawn8" -> spawn8(ctx, options);
          case "rss" -> rss(ctx, options);
          default -> throw new IllegalArgumentException("unknown case " + c);
        }
      }
    }
  }

  /** Fills a 1M-entry HashMap and sorts 1M strings; returns the milliseconds it took. */
  static long cpuTask() {
    long t0 = System.nanoTime();
    Map<Integer, Integer> map = new HashMap<>();
    for (int i = 0; i < 1_000_000; i++) {
      map.put(i, i * 31);
    }
    List<String> strings = new ArrayList<>(1_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      strings.add(Integer.toHexString(i * 2654435761L > 0 ? i * 7919 : i));
    }
    Collections.sort(strings);
    if (map.size() + strings.size() != 2_000_000) {
      throw new AssertionError();
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * The same CPU-bound code in the parent and in children: "steady" runs it 6 times in one child
   * (best of 6, against the parent's best of 6), "first" runs it once in each of 6 fresh children
   * (the median: what a one-shot task meets, compiled from cold).
   */
  static void cpu(ZProc ctx, ProcessOptions options) {
    for (int round = 1; round <= 3; round++) {
      List<Long> parent = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        parent.add(cpuTask());
      }
      ArrayList<Long> steady =
          ctx.process(
                  s -> {
                    ArrayList<Long> times = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                      times.add(cpuTask());
                    }
                    return times;
                  },
                  options)
              .result()
              .block(WAIT);
      List<Double> first = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        first.add((double) ctx.process(s -> cpuTask(), options).result().block(WAIT));
      }
      long p = Collections.min(parent);
      long c = Collections.min(steady);
      System.out.printf(
          "cpu round %d: best of 6 parent %d ms, one child %d ms: child speed %.2fx;"
              + " first run in fresh children, median %.0f ms (%.2fx) (parent %s, child %s, fresh %s)%n",
          round, p, c, (double) p / c, median(first), p / median(first), parent, steady, round(first));
    }
  }

  /** The pids of the child JVMs that ran a task so far: a pid seen again is a reused JVM. */
  static final java.util.Set<Long> SEEN_PIDS = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static void atomic(ZProc ctx, ProcessOptions options, int each) {
    State state = ctx.state();
    List<Double> rates = new ArrayList<>();
    List<String> jvms = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      state.set(Map.of("n", 0, "ready", 0, "start", false)).block(WAIT);
      List<ZProcess<long[]>> procs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        procs.add(
            ctx.process(
                s -> {
                  s.increment("ready", 1).block();
                  s.whenEqual("start", true).block();
                  long t0 = System.nanoTime();
                  for (int i = 0; i < each; i++) {
                    s.atomic(m -> m.merge("n", 1, (a, b) -> ((Number) a).intValue() + 1)).block();
                  }
                  return new long[] {t0, System.nanoTime()};
                },
                options));
      }
      state.whenEqual("ready", 4).block(WAIT);
      state.put("start", true).block(WAIT);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      int reused = 0;
      for (ZProcess<long[]> p : procs) {
        long[] t = p.result().block(WAIT);
        min = Math.min(min, t[0]);
        max = Math.max(max, t[1]);
        reused += SEEN_PIDS.add(p.pid()) ? 0 : 1;
      }
      jvms.add(reused + " reused");
      Object n = state.get("n").block(WAIT);
      if (((Number) n).intValue() != 4 * each) {
        throw new AssertionError("lost increments: " + n);
      }
      rates.add(4.0 * each / ((max - min) / 1e9));
    }
    System.out.printf(
        "atomic 4 children x %d: median %.0f/s %s (exact; JVMs that ran a task before: %s)%n",
        each, median(rates), rates, jvms);
  }

  static void watch(ZProc ctx, ProcessOptions options) {
    for (int phase = 0; phase < 2; phase++) {
      // phase 0: a fresh child's first 500 rounds; phase 1: 500 more after a 500-round warm-up
      List<Double> rtts = watchRounds(ctx, options, phase == 0 ? 0 : 500, 500);
      System.out.printf(
          "watch round trip through a child, %s: p50 %.0f us, p99 %.0f us%n",
          phase == 0 ? "first 500 rounds" : "500 rounds after 500 warm-up",
          rtts.get(rtts.size() / 2),
          rtts.get((int) (rtts.size() * 0.99)));
    }
  }

  /**
   * The parent puts {@code go = i}, a new child waits {@code whenEqual("go", i)} and puts {@code ack
   * = i}, the parent waits {@code whenEqual("ack", i)}: the round trips after {@code warm} rounds,
   * in microseconds, sorted.
   */
  private static List<Double> watchRounds(ZProc ctx, ProcessOptions options, int warm, int iters) {
    State state = ctx.state();
    state.set(Map.of("go", 0, "ack", 0)).block(WAIT);
    int total = warm + iters;
    ZProcess<Integer> partner =
        ctx.process(
            s -> {
              s.put("b_ready", true).block();
              for (int i = 1; i <= total; i++) {
                s.whenEqual("go", i).block();
                s.put("ack", i).block();
              }
              return total;
            },
            options);
    state.whenEqual("b_ready", true).block(WAIT);
    List<Double> rtts = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      long t0 = System.nanoTime();
      state.put("go", i).block(WAIT);
      state.whenEqual("ack", i).block(WAIT);
      if (i > warm) {
        rtts.add((System.nanoTime() - t0) / 1e3);
      }
    }
    partner.result().block(WAIT);
    state.remove("b_ready").block(WAIT);
    Collections.sort(rtts);
    return rtts;
  }

  /**
   * An application that starts a process now and then: the first process fills the spare pool,
   * then, 3 times, 10 s later (the spare has waited, as between an application's starts), a child
   * makes its first 500 watch rounds with the parent, and another its first 500 atomic increments
   * alone.
   */
  static void spare(ZProc ctx, ProcessOptions options) throws InterruptedException {
    State state = ctx.state();
    ctx.process(s -> 1, options).result().block(WAIT);
    for (int rep = 0; rep < 3; rep++) {
      Thread.sleep(10_000);
      List<Double> rtts = watchRounds(ctx, options, 0, 500);
      Thread.sleep(10_000);
      state.put("n", 0).block(WAIT);
      long micros =
          ctx.process(
                  s -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 500; i++) {
                      s.atomic(m -> m.merge("n", 1, (a, b) -> ((Number) a).intValue() + 1))
                          .block();
                    }
                    return (System.nanoTime() - t0) / 1_000;
                  },
                  options)
              .result()
              .block(WAIT);
      System.out.printf(
          "a spare that waited 10 s: watch first 500 rounds p50 %.0f us, p99 %.0f us;"
              + " 500 atomic alone %.0f/s%n",
          rtts.get(rtts.size() / 2), rtts.get((int) (rtts.size() * 0.99)), 500 / (micros / 1e6));
    }
  }

  static void spawn(ZProc ctx, ProcessOptions options, long gapMillis) throws InterruptedException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      long t0 = System.nanoTime();
      Integer one = ctx.process(s -> 1, options).result().block(WAIT);
      if (one != 1) {
        throw new AssertionError();
      }
      if (i >= 5) {
        times.add((System.nanoTime() - t0) / 1e6);
      }
      Thread.sleep(gapMillis);
    }
    System.out.printf(
        "spawn -> result, %d ms apart, after 5 warm-up: p50 %.1f ms %s%n",
        gapMillis, median(times), round(times));
  }

  static void spawn8(ZProc ctx, ProcessOptions options) throws InterruptedException {
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long t0 = System.nanoTime();
      for (ZProcess<Integer> p : ctx.processFactory(8, s -> 1, options)) {
        p.result().block(WAIT);
      }
      times.add((System.nanoTime() - t0) / 1e6);
      Thread.sleep(500);
    }
    System.out.printf("processFactory(8) -> all 8 results, 500 ms apart: p50 %.1f ms %s%n", median(times), round(times));
  }

  /**
   * VmRSS of an idle child after a task, 3 s after it: first one booted for the task (a fresh
   * context has no spare yet), then a spare that had waited (and warmed up) 15 s.
   */
  static void rss(ZProc ctx, ProcessOptions options) throws Exception {
    rss(ctx, options, "booted for its task");
    Thread.sleep(15_000);
    rss(ctx, options, "a spare that waited 15 s");
  }

  private static void rss(ZProc ctx, ProcessOptions options, String which) throws Exception {
    ctx.state().set(Map.of()).block(WAIT);
    ZProcess<Object> idle =
        ctx.process(
            s -> {
              s.put("x", 1).block();
              s.put("rss_ready", true).block();
              s.whenEqual("rss_done", true).block();
              return null;
            },
            options);
    ctx.state().whenEqual("rss_ready", true).block(WAIT);
    Thread.sleep(3000);
    long kb = 0;
    for (String line : Files.readAllLines(Path.of("/proc/" + idle.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        kb = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    ctx.state().put("rss_done", true).block(WAIT);
    idle.result().block(WAIT);
    System.out.printf("idle child after a task (%s): VmRSS %.1f MB%n", which, kb / 1024.0);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static List<Long> round(List<Double> xs) {
    List<Long> r = new ArrayList<>();
    for (double x : xs) {
      r.add(Math.round(x));
    }
    return r;
  }
}
