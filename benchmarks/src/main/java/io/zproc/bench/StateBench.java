package io.zproc.bench;

import io.rsocket.RSocket;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.internal.client.Introspection;
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
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Measures, in one run and side by side, the raw RSocket echo baseline and {@link State} put/get on
 * every path: in the server's own JVM (direct), from the same JVM over the unix socket and TCP, and
 * from a second JVM over the unix socket and TCP.
 *
 * <p>Every scenario is warmed up once, then the timed rounds go round-robin over all scenarios (so
 * the machine's noise spreads over all of them alike); each scenario's result is the median of its
 * rounds. Sequential loops also record every round trip (p50/p99 are the medians of the per-round
 * percentiles).
 *
 * <p>System properties: {@code bench.rounds} (5), {@code bench.roundMillis} (2000), {@code
 * bench.warmupMillis} (3000), {@code bench.only} (a regex over scenario names), {@code
 * bench.remote} (true: run the second-JVM scenarios). See {@code docs/performance.md}.
 */
public final class StateBench {
  /** The key every put and get uses. */
  static final String KEY = "bench";

  /** Original Python zproc: sequential puts per second over local IPC. */
  static final double PYTHON_PUTS = 17_000;

  static final double TARGET_DIRECT_PUT = 170_000;
  static final double TARGET_REMOTE_PUT = 25_000;
  static final double TARGET_PIPELINED_RATIO = 0.7;

  private StateBench() {}

  /** One measured thing. */
  record Scenario(String name, boolean sequential, LongFunction<Measurement> loop) {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    int rounds = Integer.getInteger("bench.rounds", 5);
    long roundMillis = Long.getLong("bench.roundMillis", 2000);
    long warmupMillis = Long.getLong("bench.warmupMillis", 3000);
    Pattern only = Pattern.compile(System.getProperty("bench.only", ".*"));
    boolean remote = Boolean.parseBoolean(System.getProperty("bench.remote", "true"));

    Deque<AutoCloseable> resources = new ArrayDeque<>();
    List<Scenario> all = new ArrayList<>();
    try {
      Echo echo = Echo.start();
      resources.push(echo);
      RSocket echoTcp = Echo.connect(echo.tcpAddress());
      resources.push(echoTcp::dispose);
      RSocket echoLocal = Echo.connect(echo.localAddress());
      resources.push(echoLocal::dispose);
      all.add(seq("echo tcp, 1 in flight", i -> Echo.call(echoTcp)));
      all.add(par("echo tcp, 64 in flight", 64, i -> Echo.call(echoTcp)));
      all.add(par("echo tcp, 128 in flight", 128, i -> Echo.call(echoTcp)));
      all.add(seq("echo local, 1 in flight", i -> Echo.call(echoLocal)));
      String unixEcho = echo.unixAddress();
      if (unixEcho != null) {
        RSocket echoUnix = Echo.connect(unixEcho);
        resources.push(echoUnix::dispose);
        all.add(seq("echo unix, 1 in flight", i -> Echo.call(echoUnix)));
      }

      ZProc ctx = ZProc.start();
      resources.push(ctx);
      String address = ctx.address();
      State direct = ctx.state();
      direct.put(KEY, 0).block();
      String how = transport(ctx);
      all.add(seq("put seq, same JVM (" + how + ")", i -> direct.put(KEY, i)));
      all.add(seq("get seq, same JVM (" + how + ")", i -> direct.get(KEY)));
      all.add(par("put 64 in flight, same JVM (" + how + ")", 64, i -> direct.put(KEY, i)));

      ZProc unixCtx = ZProc.connect(address, ZProcOptions.defaults().directPath(false));
      resources.push(unixCtx);
      State unix = unixCtx.state();
      how = transport(unixCtx);
      all.add(seq("put seq, same JVM (" + how + ")", i -> unix.put(KEY, i)));
      all.add(par("put 64 in flight, same JVM (" + how + ")", 64, i -> unix.put(KEY, i)));

      ZProc tcpCtx =
          ZProc.connect(address, ZProcOptions.defaults().directPath(false).localSocket(false));
      resources.push(tcpCtx);
      State tcp = tcpCtx.state();
      how = transport(tcpCtx);
      all.add(seq("put seq, same JVM (" + how + ")", i -> tcp.put(KEY, i)));
      all.add(par("put 64 in flight, same JVM (" + how + ")", 64, i -> tcp.put(KEY, i)));

      if (remote) {
        NioEcho nio = NioEcho.start();
        resources.push(nio);
        List<String> childArgs = new ArrayList<>(List.of(address, "auto", echo.tcpAddress()));
        if (unixEcho != null) {
          childArgs.add(unixEcho);
        }
        childArgs.add(nio.tcpAddress());
        childArgs.add(nio.unixAddress());
        RemoteJvm child = RemoteJvm.start("second JVM, defaults", childArgs);
        resources.push(child);
        how = child.transport();
        all.add(remote("put seq, 2nd JVM (" + how + ")", true, child, "put-seq"));
        all.add(remote("get seq, 2nd JVM (" + how + ")", true, child, "get-seq"));
        all.add(remote("put 64 in flight, 2nd JVM (" + how + ")", false, child, "put-64"));
        all.add(
            remote("put 1 in flight chained, 2nd JVM (" + how + ")", false, child, "put-chain"));
        all.add(remote("put seq spin-wait, 2nd JVM (" + how + ")", true, child, "put-spin"));
        all.add(remote("echo tcp, 1 in flight, 2nd JVM", true, child, "echo-tcp-seq"));
        if (unixEcho != null) {
          all.add(remote("echo unix, 1 in flight, 2nd JVM", true, child, "echo-unix-seq"));
          all.add(
              remote("echo unix, 1 in flight chained, 2nd JVM", false, child, "echo-unix-chain"));
        }
        all.add(remote("nio blocking echo tcp, 2nd JVM", true, child, "nio-tcp-seq"));
        all.add(remote("nio blocking echo unix, 2nd JVM", true, child, "nio-unix-seq"));

        RemoteJvm noLane =
            RemoteJvm.start(
                "second JVM, lane off",
                RemoteClient.class.getName(),
                List.of(address, "auto"),
                List.of("-Dio.zproc.lane=false"));
        resources.push(noLane);
        how = noLane.transport() + ", lane off";
        all.add(remote("put seq, 2nd JVM (" + how + ")", true, noLane, "put-seq"));
        all.add(remote("get seq, 2nd JVM (" + how + ")", true, noLane, "get-seq"));

        RemoteJvm noSpin =
            RemoteJvm.start(
                "second JVM, lane without polling",
                RemoteClient.class.getName(),
                List.of(address, "auto"),
                List.of("-Dio.zproc.lane.spinMicros=0"));
        resources.push(noSpin);
        how = noSpin.transport() + ", lane without polling";
        all.add(remote("put seq, 2nd JVM (" + how + ")", true, noSpin, "put-seq"));

        RemoteJvm tcpChild = RemoteJvm.start("second JVM, forced tcp", List.of(address, "tcp"));
        resources.push(tcpChild);
        how = tcpChild.transport();
        all.add(remote("put seq, 2nd JVM (" + how + ")", true, tcpChild, "put-seq"));
        all.add(remote("get seq, 2nd JVM (" + how + ")", true, tcpChild, "get-seq"));
        all.add(remote("put 64 in flight, 2nd JVM (" + how + ")", false, tcpChild, "put-64"));
      }

      List<Scenario> scenarios = new ArrayList<>();
      for (Scenario s : all) {
        if (only.matcher(s.name()).find()) {
          scenarios.add(s);
        }
      }
      run(scenarios, rounds, roundMillis, warmupMillis);
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

  private static String transport(ZProc ctx) {
    return ((Introspection) ctx).transport();
  }

  private static Scenario seq(String name, IntFunction<? extends Mono<?>> op) {
    return new Scenario(name, true, millis -> Loops.sequential(op, millis));
  }

  private static Scenario par(String name, int inFlight, IntFunction<? extends Mono<?>> op) {
    return new Scenario(name, false, millis -> Loops.concurrent(op, inFlight, millis));
  }

  private static Scenario remote(String name, boolean sequential, RemoteJvm child, String loop) {
    return new Scenario(
        name,
        sequential,
        millis -> {
          long serverCpu = Cpu.processNanos();
          Measurement m = child.run(loop, millis);
          return m.plusCpu(Cpu.processNanos() - serverCpu);
        });
  }

  private static void run(
      List<Scenario> scenarios, int rounds, long roundMillis, long warmupMillis) {
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
      System.out.printf(Locale.ROOT, "warmup  %-45s %,10.0f ops/s%n", s.name(), m.opsPerSecond());
    }
    Map<String, List<Measurement>> results = new LinkedHashMap<>();
    for (int r = 1; r <= rounds; r++) {
      for (Scenario s : scenarios) {
        System.gc();
        Measurement m = s.loop().apply(roundMillis);
        results.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(m);
        System.out.printf(
            Locale.ROOT,
            "round %d %-45s %,10.0f ops/s  %5.1f CPU µs/op  p50 %s  p99 %s%n",
            r,
            s.name(),
            m.opsPerSecond(),
            m.cpuMicrosPerOp(),
            s.sequential() ? micros(m.p50Nanos()) : "-",
            s.sequential() ? micros(m.p99Nanos()) : "-");
      }
    }
    System.out.println("load average at end: " + loadAverage());
    report(scenarios, results);
  }

  /** /proc/loadavg's first three fields (the machine is shared), or "n/a". */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "n/a";
    }
  }

  private static void report(List<Scenario> scenarios, Map<String, List<Measurement>> results) {
    System.out.println();
    System.out.println(
        "| scenario | median ops/s | min – max ops/s | CPU µs/op | p50 µs | p99 µs |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (Scenario s : scenarios) {
      List<Measurement> ms = results.get(s.name());
      double[] ops = ms.stream().mapToDouble(Measurement::opsPerSecond).toArray();
      Arrays.sort(ops);
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,.0f – %,.0f | %.1f | %s | %s |%n",
          s.name(),
          median(ops),
          ops[0],
          ops[ops.length - 1],
          medianCpu(ms),
          s.sequential() ? micros(median(ms, Measurement::p50Nanos)) : "–",
          s.sequential() ? micros(median(ms, Measurement::p99Nanos)) : "–");
    }
    System.out.println();
    System.out.println("Targets (median of rounds):");
    for (Scenario s : scenarios) {
      String n = s.name();
      double med = medianOps(results.get(n));
      if (n.equals("put seq, same JVM (direct)")) {
        check(n, med, TARGET_DIRECT_PUT, "≥ 170,000/s");
      } else if (n.startsWith("put seq, 2nd JVM")) {
        check(n, med, TARGET_REMOTE_PUT, "≥ 25,000/s");
      }
    }
    for (Scenario s : scenarios) {
      if (s.name().startsWith("put 64 in flight")) {
        compare(results, s.name(), "echo tcp, 128 in flight", TARGET_PIPELINED_RATIO);
      }
    }
    System.out.println();
    System.out.println("Against the Python zproc's 17,000 sequential puts/s:");
    for (Scenario s : scenarios) {
      if (s.name().startsWith("put seq")) {
        System.out.printf(
            Locale.ROOT,
            "  %-45s %.1f×%n",
            s.name(),
            medianOps(results.get(s.name())) / PYTHON_PUTS);
      }
    }
    System.out.println();
    System.out.println(
        "Against raw echo on the same path ('per-round': median of same-round ratios):");
    compare(results, "put seq, same JVM (tcp)", "echo tcp, 1 in flight", 0);
    compare(results, "put seq, same JVM (unix)", "echo unix, 1 in flight", 0);
    compare(results, "put seq, 2nd JVM (unix)", "echo unix, 1 in flight, 2nd JVM", 0);
    compare(results, "get seq, 2nd JVM (unix)", "echo unix, 1 in flight, 2nd JVM", 0);
    compare(results, "put seq, 2nd JVM (tcp)", "echo tcp, 1 in flight, 2nd JVM", 0);
    compare(results, "get seq, 2nd JVM (tcp)", "echo tcp, 1 in flight, 2nd JVM", 0);
    compare(results, "echo unix, 1 in flight, 2nd JVM", "nio blocking echo unix, 2nd JVM", 0);
    compare(results, "echo tcp, 1 in flight, 2nd JVM", "nio blocking echo tcp, 2nd JVM", 0);
    for (String path :
        List.of("same JVM (tcp)", "same JVM (unix)", "2nd JVM (unix)", "2nd JVM (tcp)")) {
      compare(results, "put 64 in flight, " + path, "echo tcp, 64 in flight", 0);
    }
  }

  /** Prints a / b (medians, and the median of same-round ratios); a target of 0 means none. */
  private static void compare(
      Map<String, List<Measurement>> results, String a, String b, double target) {
    List<Measurement> as = results.get(a);
    List<Measurement> bs = results.get(b);
    if (as == null || bs == null) {
      return;
    }
    double ratio = medianOps(as) / medianOps(bs);
    double[] perRound = new double[Math.min(as.size(), bs.size())];
    for (int i = 0; i < perRound.length; i++) {
      perRound[i] = as.get(i).opsPerSecond() / bs.get(i).opsPerSecond();
    }
    Arrays.sort(perRound);
    System.out.printf(
        Locale.ROOT,
        "  %-45s %.2f× %s (per-round %.2f×; CPU/op %.1f vs %.1f µs)%s%n",
        a,
        ratio,
        b,
        median(perRound),
        medianCpu(as),
        medianCpu(bs),
        target == 0
            ? ""
            : String.format(
                Locale.ROOT, ", target ≥ %.2f×: %s", target, ratio >= target ? "MET" : "MISSED"));
  }

  private static void check(String name, double value, double target, String what) {
    System.out.printf(
        Locale.ROOT,
        "  %-45s %,.0f/s = %.2f× the target %s: %s%n",
        name,
        value,
        value / target,
        what,
        value >= target ? "MET" : "MISSED");
  }

  private static double medianCpu(List<Measurement> ms) {
    return median(ms.stream().mapToDouble(Measurement::cpuMicrosPerOp).sorted().toArray());
  }

  private static double medianOps(List<Measurement> ms) {
    double[] ops = ms.stream().mapToDouble(Measurement::opsPerSecond).toArray();
    Arrays.sort(ops);
    return median(ops);
  }

  private static double median(List<Measurement> ms, ToLongFunction<Measurement> f) {
    double[] v = ms.stream().mapToDouble(m -> f.applyAsLong(m)).toArray();
    Arrays.sort(v);
    return median(v);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String micros(double nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join("/", names);
  }
}
