package io.zproc.bench;

import io.zproc.State;
import io.zproc.ZProc;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Measures, in one run and side by side, watching and atomic changes: the watch round trip between
 * JVMs (against a raw RSocket echo between the same JVMs), the same with a stalled watcher
 * attached, change fan-out to 8 watchers, and atomic and increment throughput from 1 client and
 * from 4 contending JVMs, each checked for exactness.
 *
 * <p>The bench's JVM runs the state server ({@code ZProc.start()}) and the echo server and plays A
 * of the round trip on the direct path. Four {@link WatchClient} JVMs connect over the unix socket:
 * <b>B</b> answers every round trip (one responder per namespace), <b>A</b> is the other end of the
 * round trip when it is not the server's JVM, <b>C</b> holds the stalled watchers, <b>D</b> runs
 * the remote fan-out; all four run the atomic and increment loops. Every scenario is warmed up,
 * then the rounds go round-robin over all scenarios (odd rounds in order, even rounds in reverse,
 * so that a scenario and its neighbour, e.g. with and without a stalled watcher, see the same
 * drift); results are medians of rounds, and CPU µs/op is the CPU time of all five JVMs per
 * operation.
 *
 * <p>System properties: {@code bench.rounds} (5), {@code bench.roundMillis} (2000), {@code
 * bench.warmupMillis} (3000), {@code bench.only} (a regex over scenario names), {@code
 * bench.watchers} (8), {@code bench.window} (64: fan-out writes ahead of the slowest watcher). See
 * {@code docs/performance.md}.
 */
public final class WatchBench {
  static final double TARGET_RT_P50_MICROS = 150;
  static final double TARGET_RT_P99_MICROS = 450;
  static final double PYTHON_RT_P50_MICROS = 330;
  static final double REDIS_RT_P50_MICROS = 170;
  static final double TARGET_STALL_RATIO = 2;
  static final double TARGET_ATOMIC = 17_600;
  static final double PYTHON_ATOMIC = 8_800;

  private WatchBench() {}

  /** One measured thing; {@code latency}: a sequential loop with p50/p99. */
  record Scenario(String name, boolean latency, LongFunction<Measurement> loop) {}

  /** Per scenario: the counter checks (atomic, increment) and how often the task ran. */
  private static final Map<String, List<String>> checks = new ConcurrentHashMap<>();

  private static final Map<String, long[]> runs = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    int rounds = Integer.getInteger("bench.rounds", 5);
    long roundMillis = Long.getLong("bench.roundMillis", 2000);
    long warmupMillis = Long.getLong("bench.warmupMillis", 3000);
    Pattern only = Pattern.compile(System.getProperty("bench.only", ".*"));
    int watchers = Integer.getInteger("bench.watchers", 8);
    int window = Integer.getInteger("bench.window", 64);

    Deque<AutoCloseable> resources = new ArrayDeque<>();
    List<RemoteJvm> jvms = new ArrayList<>();
    try {
      Echo echo = Echo.start();
      resources.push(echo);
      String unixEcho = echo.unixAddress();
      if (unixEcho == null) {
        throw new IllegalStateException("this bench needs unix sockets (epoll)");
      }
      ZProc ctx = ZProc.start();
      resources.push(ctx);
      String address = ctx.address();

      RemoteJvm b =
          RemoteJvm.start("JVM B", WatchClient.class.getName(), List.of(address, unixEcho));
      resources.push(b);
      RemoteJvm a = RemoteJvm.start("JVM A", WatchClient.class.getName(), List.of(address));
      resources.push(a);
      RemoteJvm c = RemoteJvm.start("JVM C", WatchClient.class.getName(), List.of(address));
      resources.push(c);
      RemoteJvm d = RemoteJvm.start("JVM D", WatchClient.class.getName(), List.of(address));
      resources.push(d);
      jvms.addAll(List.of(b, a, c, d));
      System.out.println(
          "server "
              + address
              + " (pid "
              + ProcessHandle.current().pid()
              + "); JVM B pid "
              + b.pid()
              + ", A "
              + a.pid()
              + ", C "
              + c.pid()
              + ", D "
              + d.pid()
              + "; clients reach the server via "
              + b.transport());

      // B's responders and C's stalled watchers, one namespace per round-trip scenario.
      Map<String, String> responders = new LinkedHashMap<>();
      responders.put("rt-direct-block", "block");
      responders.put("rt-direct-stalled", "block");
      responders.put("rt-direct-chain", "chain");
      responders.put("rt-direct-changes", "changes");
      responders.put("rt-direct-changes1", "changes1");
      responders.put("rt-remote-block", "block");
      responders.put("rt-remote-stalled", "block");
      responders.put("rt-remote-chain", "chain");
      responders.put("rt-remote-overlap", "chain");
      for (Map.Entry<String, String> r : responders.entrySet()) {
        ctx.state(r.getKey()).putAll(Map.of(WatchLoops.GO, 0, WatchLoops.ACK, 0)).block();
        b.send("respond " + r.getKey() + " " + r.getValue());
        b.expect("BENCH OK respond ", 30_000);
      }
      for (String ns : List.of("rt-direct-stalled", "rt-remote-stalled")) {
        c.send("stall " + ns);
        c.expect("BENCH OK stall ", 30_000);
      }

      List<Scenario> all = new ArrayList<>();
      all.add(remote("echo unix, 1 in flight, B → server JVM", true, b, "echo-unix-seq"));
      all.add(remote("put seq, B → server JVM (unix)", true, b, "put-seq"));
      all.add(direct(ctx, "rt-direct-block", "round trip, A = server JVM, B blocking whenEqual"));
      all.add(
          direct(
              ctx,
              "rt-direct-stalled",
              "round trip, A = server JVM, B blocking whenEqual, + stalled watcher"));
      all.add(direct(ctx, "rt-direct-chain", "round trip, A = server JVM, B chained whenEqual"));
      all.add(direct(ctx, "rt-direct-changes", "round trip, A = server JVM, B changes() stream"));
      all.add(
          direct(
              ctx,
              "rt-direct-changes1",
              "round trip, A = server JVM, B changes() stream, requests 1 by 1"));
      all.add(
          remote("round trip, A = 2nd JVM, B blocking whenEqual", true, a, "rt:rt-remote-block"));
      all.add(
          remote(
              "round trip, A = 2nd JVM, B blocking whenEqual, + stalled watcher",
              true,
              a,
              "rt:rt-remote-stalled"));
      all.add(
          remote("round trip, A = 2nd JVM, B chained whenEqual", true, a, "rt:rt-remote-chain"));
      all.add(
          remote(
              "round trip, A = 2nd JVM watching before it writes, B chained whenEqual",
              true,
              a,
              "rtx:rt-remote-overlap"));
      all.add(
          new Scenario(
              "fan-out to " + watchers + " watchers, server JVM (direct)",
              false,
              millis -> {
                try {
                  return WatchLoops.fanOut(ctx, "fan-direct", watchers, window, millis);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }));
      all.add(
          remote(
              "fan-out to " + watchers + " watchers, 2nd JVM (unix)",
              false,
              d,
              "fanout:fan-remote:" + watchers + ":" + window));
      State atomicCheck = ctx.state("atomic");
      State incrCheck = ctx.state("incr");
      AtomicLong directRuns = new AtomicLong();
      State atomicDirect = ctx.state("atomic");
      all.add(
          exact(
              "atomic, 1 client, server JVM (direct)",
              atomicCheck,
              millis -> {
                long before = directRuns.get();
                Measurement m = WatchLoops.atomics(atomicDirect, directRuns, millis);
                addRuns("atomic, 1 client, server JVM (direct)", directRuns.get() - before, m);
                return m;
              }));
      List<State> atomicThreads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        atomicThreads.add(ctx.state("atomic"));
      }
      all.add(
          exact(
              "atomic, 4 contending threads, server JVM (direct)",
              atomicCheck,
              millis ->
                  threads(
                      "atomic, 4 contending threads, server JVM (direct)", atomicThreads, millis)));
      all.add(
          exact(
              "atomic, 1 client, 2nd JVM",
              atomicCheck,
              millis ->
                  together("atomic, 1 client, 2nd JVM", List.of(b), "atomic:atomic", millis)));
      all.add(
          exact(
              "atomic, 4 contending JVMs",
              atomicCheck,
              millis -> together("atomic, 4 contending JVMs", jvms, "atomic:atomic", millis)));
      State incrDirect = ctx.state("incr");
      all.add(
          exact(
              "increment, 1 client, server JVM (direct)",
              incrCheck,
              millis -> WatchLoops.increments(incrDirect, millis)));
      all.add(
          exact(
              "increment, 1 client, 2nd JVM",
              incrCheck,
              millis -> together("increment, 1 client, 2nd JVM", List.of(b), "incr:incr", millis)));
      all.add(
          exact(
              "increment, 4 JVMs",
              incrCheck,
              millis -> together("increment, 4 JVMs", jvms, "incr:incr", millis)));

      List<Scenario> scenarios = new ArrayList<>();
      for (Scenario s : all) {
        if (only.matcher(s.name()).find()) {
          scenarios.add(s);
        }
      }
      Map<String, List<Measurement>> results =
          run(scenarios, rounds, roundMillis, warmupMillis, jvms);
      b.send("status");
      String bStatus = b.expect("BENCH OK status", 30_000);
      c.send("status");
      String cStatus = c.expect("BENCH OK status", 30_000);
      report(scenarios, results);
      System.out.println();
      System.out.println("B's responders:" + bStatus.replace(" ", "\n  "));
      System.out.println("C's stalled watchers:" + cStatus.replace(" ", "\n  "));
      System.out.println(
          "(a stalled watcher should have received 1 change and no error: it requested only 1)");
    } finally {
      while (!resources.isEmpty()) {
        try {
          resources.pop().close();
        } catch (Exception e) {
          System.err.println("closing: " + e);
        }
      }
    }
    System.exit(0);
  }

  private static final Map<String, AtomicInteger> directNext = new ConcurrentHashMap<>();

  /** A of the round trip in this (the server's) JVM, on the direct path. */
  private static Scenario direct(ZProc ctx, String ns, String name) {
    State a = ctx.state(ns);
    AtomicInteger next = directNext.computeIfAbsent(ns, k -> new AtomicInteger());
    return new Scenario(name, true, millis -> WatchLoops.roundTrips(a, next, millis));
  }

  private static Scenario remote(String name, boolean latency, RemoteJvm jvm, String loop) {
    return new Scenario(name, latency, millis -> jvm.run(loop, millis));
  }

  /**
   * The same loop in several client JVMs at once: the sum of their operations over the longest of
   * their times; p50 the mean and p99 the highest of theirs.
   */
  private static Measurement together(String name, List<RemoteJvm> jvms, String loop, long millis) {
    for (RemoteJvm j : jvms) {
      j.start(loop, millis);
    }
    long ops = 0;
    long nanos = 0;
    long p50 = 0;
    long p99 = 0;
    long taskRuns = 0;
    for (RemoteJvm j : jvms) {
      String line = j.awaitResult(loop, millis);
      Measurement m = Measurement.parse(line);
      ops += m.ops();
      nanos = Math.max(nanos, m.nanos());
      p50 += m.p50Nanos();
      p99 = Math.max(p99, m.p99Nanos());
      taskRuns += Measurement.field(line, "runs", 0);
    }
    Measurement total = new Measurement(ops, nanos, p50 / jvms.size(), p99, 0);
    if (taskRuns > 0) {
      addRuns(name, taskRuns, total);
    }
    return total;
  }

  /**
   * {@link WatchLoops#atomics} on one thread per client, all at once; combined as {@link
   * #together}.
   */
  private static Measurement threads(String name, List<State> clients, long millis) {
    List<CompletableFuture<Measurement>> futures = new ArrayList<>();
    AtomicLong taskRuns = new AtomicLong();
    for (State s : clients) {
      futures.add(
          CompletableFuture.supplyAsync(() -> WatchLoops.atomics(s, taskRuns, millis), pool));
    }
    long ops = 0;
    long nanos = 0;
    long p50 = 0;
    long p99 = 0;
    for (CompletableFuture<Measurement> f : futures) {
      Measurement m = f.join();
      ops += m.ops();
      nanos = Math.max(nanos, m.nanos());
      p50 += m.p50Nanos();
      p99 = Math.max(p99, m.p99Nanos());
    }
    Measurement total = new Measurement(ops, nanos, p50 / clients.size(), p99, 0);
    addRuns(name, taskRuns.get(), total);
    return total;
  }

  private static final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
          });

  private static void addRuns(String name, long taskRuns, Measurement m) {
    long[] r = runs.computeIfAbsent(name, k -> new long[2]);
    synchronized (r) {
      r[0] += taskRuns;
      r[1] += m.ops();
    }
  }

  /**
   * A counter loop checked for exactness: the counter is reset before and read after, and must
   * equal the number of calls that succeeded.
   */
  private static Scenario exact(String name, State check, LongFunction<Measurement> loop) {
    return new Scenario(
        name,
        true,
        millis -> {
          check.set(Map.of(WatchLoops.COUNTER, 0)).block(WatchLoops.TIMEOUT);
          Measurement m = loop.apply(millis);
          Object n = check.get(WatchLoops.COUNTER).block(WatchLoops.TIMEOUT);
          long counter = n == null ? -1 : ((Number) n).longValue();
          checks
              .computeIfAbsent(name, k -> new ArrayList<>())
              .add(counter == m.ops() ? "exact" : "counter " + counter + " ≠ calls " + m.ops());
          return m;
        });
  }

  /** All JVMs' CPU time: this one's and every client's. */
  private static long cpuOfAll(List<RemoteJvm> jvms) {
    long cpu = Cpu.processNanos();
    for (RemoteJvm j : jvms) {
      cpu += j.cpuNanos();
    }
    return cpu;
  }

  private static Map<String, List<Measurement>> run(
      List<Scenario> scenarios,
      int rounds,
      long roundMillis,
      long warmupMillis,
      List<RemoteJvm> jvms) {
    System.out.printf(
        Locale.ROOT,
        "%d scenarios; warmup %d ms each, then %d round-robin rounds of %d ms; %d cores, %s, %s%n",
        scenarios.size(),
        warmupMillis,
        rounds,
        roundMillis,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        gcNames());
    System.out.println("load average at start: " + loadAverage());
    for (Scenario s : scenarios) {
      System.gc();
      Measurement m = s.loop().apply(warmupMillis);
      System.out.printf(Locale.ROOT, "warmup  %-70s %,10.0f ops/s%n", s.name(), m.opsPerSecond());
    }
    checks.clear();
    runs.clear();
    Map<String, List<Measurement>> results = new LinkedHashMap<>();
    List<Scenario> reversed = new ArrayList<>(scenarios);
    java.util.Collections.reverse(reversed);
    for (int r = 1; r <= rounds; r++) {
      // odd rounds in order, even rounds in reverse: neighbours swap places, so drift cancels
      for (Scenario s : r % 2 == 1 ? scenarios : reversed) {
        System.gc();
        long cpu = cpuOfAll(jvms);
        Measurement m = s.loop().apply(roundMillis);
        m = new Measurement(m.ops(), m.nanos(), m.p50Nanos(), m.p99Nanos(), cpuOfAll(jvms) - cpu);
        results.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(m);
        System.out.printf(
            Locale.ROOT,
            "round %d %-70s %,10.0f ops/s  %6.1f CPU µs/op  p50 %s  p99 %s%n",
            r,
            s.name(),
            m.opsPerSecond(),
            m.cpuMicrosPerOp(),
            s.latency() ? micros(m.p50Nanos()) : "-",
            s.latency() ? micros(m.p99Nanos()) : "-");
      }
      System.out.println("load average after round " + r + ": " + loadAverage());
    }
    System.out.println("load average at end: " + loadAverage());
    return results;
  }

  private static void report(List<Scenario> scenarios, Map<String, List<Measurement>> results) {
    System.out.println();
    System.out.println(
        "| scenario | median ops/s | min – max ops/s | CPU µs/op (all JVMs) | p50 µs | p99 µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Scenario s : scenarios) {
      List<Measurement> ms = results.get(s.name());
      double[] ops = sorted(ms, Measurement::opsPerSecond);
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,.0f – %,.0f | %.1f | %s | %s |%n",
          s.name(),
          median(ops),
          ops[0],
          ops[ops.length - 1],
          median(sorted(ms, Measurement::cpuMicrosPerOp)),
          s.latency() ? micros(median(sorted(ms, m -> m.p50Nanos()))) : "–",
          s.latency() ? micros(median(sorted(ms, m -> m.p99Nanos()))) : "–");
    }

    System.out.println();
    System.out.println(
        "Watch round trip: target p50 ≤ 150 µs and p99 ≤ 450 µs (Python zproc ~330 µs p50,"
            + " Redis keyspace notifications ~170 µs p50):");
    String echo = "echo unix, 1 in flight, B → server JVM";
    for (Scenario s : scenarios) {
      if (!s.name().startsWith("round trip")) {
        continue;
      }
      List<Measurement> ms = results.get(s.name());
      double p50 = median(sorted(ms, m -> m.p50Nanos())) / 1000;
      double p99 = median(sorted(ms, m -> m.p99Nanos())) / 1000;
      System.out.printf(
          Locale.ROOT,
          "  %-68s p50 %6.1f µs (%.2f× target, %.2f× Python, %.2f× Redis%s), p99 %6.1f µs (%.2f×"
              + " target): %s%n",
          s.name(),
          p50,
          p50 / TARGET_RT_P50_MICROS,
          p50 / PYTHON_RT_P50_MICROS,
          p50 / REDIS_RT_P50_MICROS,
          results.containsKey(echo)
              ? String.format(
                  Locale.ROOT,
                  ", %.1f× echo per-round",
                  perRound(ms, results.get(echo), m -> m.p50Nanos()))
              : "",
          p99,
          p99 / TARGET_RT_P99_MICROS,
          p50 <= TARGET_RT_P50_MICROS && p99 <= TARGET_RT_P99_MICROS
              ? "MET"
              : "MISSED (p50 "
                  + (p50 <= TARGET_RT_P50_MICROS ? "met" : "missed")
                  + ", p99 "
                  + (p99 <= TARGET_RT_P99_MICROS ? "met" : "missed")
                  + ")");
    }

    System.out.println();
    System.out.println("Stalled watcher attached: target within 2× of the round trip without it:");
    stalled(
        results,
        "round trip, A = server JVM, B blocking whenEqual, + stalled watcher",
        "round trip, A = server JVM, B blocking whenEqual");
    stalled(
        results,
        "round trip, A = 2nd JVM, B blocking whenEqual, + stalled watcher",
        "round trip, A = 2nd JVM, B blocking whenEqual");

    System.out.println();
    System.out.println(
        "Atomic increments: target ≥ 17,600/s in total with 4 contending JVMs (Python zproc"
            + " 8,800/s):");
    for (Scenario s : scenarios) {
      if (!s.name().startsWith("atomic") && !s.name().startsWith("increment")) {
        continue;
      }
      double ops = median(sorted(results.get(s.name()), Measurement::opsPerSecond));
      long[] r = runs.get(s.name());
      System.out.printf(
          Locale.ROOT,
          "  %-45s %,9.0f/s = %.2f× 17,600, %.2f× Python's 8,800%s; counter: %s%s%n",
          s.name(),
          ops,
          ops / TARGET_ATOMIC,
          ops / PYTHON_ATOMIC,
          r == null || r[1] == 0
              ? ""
              : String.format(Locale.ROOT, "; task runs per call %.2f", (double) r[0] / r[1]),
          summarize(checks.getOrDefault(s.name(), List.of())),
          s.name().equals("atomic, 4 contending JVMs")
              ? (ops >= TARGET_ATOMIC ? "  → MET" : "  → MISSED")
              : "");
    }

    System.out.println();
    System.out.println("Fan-out (changes delivered per second, all watchers together):");
    for (Scenario s : scenarios) {
      if (s.name().startsWith("fan-out")) {
        double ops = median(sorted(results.get(s.name()), Measurement::opsPerSecond));
        System.out.printf(
            Locale.ROOT,
            "  %-45s %,10.0f deliveries/s (%,.0f writes/s)%n",
            s.name(),
            ops,
            ops / Integer.getInteger("bench.watchers", 8));
      }
    }
  }

  private static String summarize(List<String> outcomes) {
    long exact = outcomes.stream().filter("exact"::equals).count();
    StringBuilder b = new StringBuilder();
    b.append(exact).append('/').append(outcomes.size()).append(" rounds exact");
    for (String o : outcomes) {
      if (!o.equals("exact")) {
        b.append("; ").append(o);
      }
    }
    return b.toString();
  }

  private static void stalled(Map<String, List<Measurement>> results, String with, String without) {
    List<Measurement> w = results.get(with);
    List<Measurement> wo = results.get(without);
    if (w == null || wo == null) {
      return;
    }
    double p50 = perRound(w, wo, m -> m.p50Nanos());
    double p99 = perRound(w, wo, m -> m.p99Nanos());
    double medianRatio =
        median(sorted(w, m -> m.p50Nanos())) / median(sorted(wo, m -> m.p50Nanos()));
    System.out.printf(
        Locale.ROOT,
        "  %s: p50 %.2f× (per-round %.2f×), p99 per-round %.2f×: %s%n",
        with,
        medianRatio,
        p50,
        p99,
        p50 <= TARGET_STALL_RATIO && p99 <= TARGET_STALL_RATIO ? "MET" : "MISSED");
  }

  /** The median of the same-round ratios a / b of a value. */
  private static double perRound(
      List<Measurement> as, List<Measurement> bs, ToDoubleFunction<Measurement> f) {
    double[] ratios = new double[Math.min(as.size(), bs.size())];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = f.applyAsDouble(as.get(i)) / f.applyAsDouble(bs.get(i));
    }
    Arrays.sort(ratios);
    return median(ratios);
  }

  private static double[] sorted(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    double[] v = ms.stream().mapToDouble(f).toArray();
    Arrays.sort(v);
    return v;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String micros(double nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
  }

  /** /proc/loadavg's first three fields (the machine is shared), or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join("/", names);
  }
}
