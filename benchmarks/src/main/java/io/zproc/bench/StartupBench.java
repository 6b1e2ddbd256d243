package io.zproc.bench;

import io.zproc.ProcessOptions;
import io.zproc.ProcessTask;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcess;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Measures how fast a process starts: a bare {@code java -cp <classpath> Hello}, a fresh JVM that
 * connects and makes one call, a cold spawn (no spare JVM) and a warm spawn (a pre-started spare)
 * up to the task's result, and the memory of an idle spare.
 *
 * <p>Children get an AppCDS archive only when the classpath is made of jar files, so when this
 * JVM's classpath has directories (as when run from {@code benchmarks/target/classes}), it jars
 * them into a temporary directory and runs the measurements in a driver JVM with that jars-only
 * classpath (destroyed in a {@code finally}). The first cold spawn records the archive (reported
 * apart); the archive is deleted at the end, as are the temporary jars.
 *
 * <p>Each of the {@code bench.runs} (20) rounds measures every kind once, in turn, and waits before
 * each measurement until the context's spare JVM is idle (at least {@code bench.pauseMillis}, 1500,
 * after it was started, and no CPU used over 200 ms), so no measurement overlaps a booting JVM.
 * Results are medians. See {@code docs/performance.md}.
 */
public final class StartupBench {
  static final double TARGET_WARM_MILLIS = 8;
  static final double TARGET_COLD_RATIO = 1.3;
  static final double TARGET_IDLE_RSS_MB = 60;

  private static final String CHILD_MAIN = "io.zproc.internal.child.ChildMain";

  private StartupBench() {}

  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("bench.driver") || jarsOnly(System.getProperty("java.class.path"))) {
      drive();
    } else {
      System.exit(relaunch());
    }
  }

  private static boolean jarsOnly(String classpath) {
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !(entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)))) {
        return false;
      }
    }
    return true;
  }

  /** Jars the classpath's directories and runs {@link #drive()} in a JVM on jars only. */
  private static int relaunch() throws Exception {
    Path tmp = Files.createTempDirectory("zproc-startup-bench");
    try {
      List<String> jars = new ArrayList<>();
      int n = 0;
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path path = Path.of(entry);
        if (entry.isEmpty()) {
          continue;
        } else if (Files.isDirectory(path)) {
          Path jar = tmp.resolve("bench-classes-" + n++ + ".jar");
          jarDirectory(path, jar);
          jars.add(jar.toString());
        } else if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
          // a private copy: a concurrent `mvn install` must not change a jar under the archive
          Path copy =
              tmp.resolve(String.format(Locale.ROOT, "%02d-%s", jars.size(), path.getFileName()));
          Files.copy(path, copy);
          jars.add(copy.toString());
        } else {
          System.out.println("skipping classpath entry " + entry);
        }
      }
      List<String> command = new ArrayList<>();
      command.add(javaCommand());
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-Xms")
            || arg.startsWith("-Xmx")
            || arg.startsWith("-XX:")
            || arg.startsWith("-Dbench.")
            || arg.startsWith("-Djava.io.tmpdir=")) {
          command.add(arg);
        }
      }
      command.add("-Dbench.driver=true");
      command.add("-cp");
      command.add(String.join(File.pathSeparator, jars));
      command.add(StartupBench.class.getName());
      System.out.println(
          "driver JVM on a jars-only classpath of "
              + jars.size()
              + " jars ("
              + n
              + " built from classpath directories, the others copied, all in "
              + tmp
              + ")");
      Process driver = new ProcessBuilder(command).inheritIO().start();
      Thread hook = new Thread(driver::destroyForcibly, "destroy startup driver");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return driver.waitFor();
      } finally {
        driver.destroyForcibly();
        driver.waitFor(10, TimeUnit.SECONDS);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void jarDirectory(Path dir, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        if (file.equals(dir)) {
          continue;
        }
        String name = dir.relativize(file).toString().replace(File.separatorChar, '/');
        if (Files.isDirectory(file)) {
          out.putNextEntry(new JarEntry(name + "/"));
        } else {
          out.putNextEntry(new JarEntry(name));
          Files.copy(file, out);
        }
        out.closeEntry();
      }
    }
  }

  // ---- the driver ----

  /** One spawn, in milliseconds from {@code process(...)}. */
  record Spawn(double result, double toTask, double fromTask, double call, double exit) {}

  /** One fresh JVM, in milliseconds from the fork: its output line, its exit, and its parts. */
  record Fresh(double line, double exit, double boot, double work, String said) {}

  /** An idle JVM's memory, in KiB. */
  record Memory(long rss, long rssAnon, long rssFile, long pss, long pssAnon, long pssFile) {}

  private static final Map<String, List<Double>> millis = new LinkedHashMap<>();
  private static final Map<String, List<Memory>> memory = new LinkedHashMap<>();

  private static void add(String what, double value) {
    millis.computeIfAbsent(what, k -> new ArrayList<>()).add(value);
  }

  private static void drive() throws Exception {
    int runs = Integer.getInteger("bench.runs", 20);
    long pause = Long.getLong("bench.pauseMillis", 1500);
    String classpath = System.getProperty("java.class.path");
    Path cdsDir = io.zproc.rsocket.internal.PrivateDir.get().resolve("cds");
    Set<Path> before = list(cdsDir);
    System.out.printf(
        Locale.ROOT,
        "%d runs; %d cores, %s; classpath: %d entries, jars only: %s; children's archives in %s%n",
        runs,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        classpath.split(File.pathSeparator).length,
        jarsOnly(classpath),
        cdsDir);
    System.out.println("load average at start: " + WatchBench.loadAverage());
    Path archive = null;
    try (ZProc cold = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
        ZProc warm = ZProc.connect(cold.address(), ZProcOptions.defaults().spareProcesses(1))) {
      String address = cold.address();

      Spawn first = spawn(cold, StartupTasks.LAMBDA, ProcessOptions.defaults());
      long resultAt = System.nanoTime();
      Path recorded = awaitNewArchive(cdsDir, before, 120_000);
      System.out.printf(
          Locale.ROOT,
          "first cold spawn (lists its classes for the archive): %.1f ms to the result (task ran at %.1f ms);"
              + " %s%n",
          first.result(),
          first.toTask(),
          recorded == null
              ? "no new archive appeared"
              : String.format(
                  Locale.ROOT,
                  "archive %s (%,d bytes) in place %.0f ms after the result",
                  recorded,
                  Files.size(recorded),
                  (System.nanoTime() - resultAt) / 1e6));

      Spawn fill = spawn(warm, StartupTasks.LAMBDA, ProcessOptions.defaults());
      System.out.printf(
          Locale.ROOT,
          "first spawn of the warm context (no spare yet, not counted): %.1f ms%n",
          fill.result());

      Path jdkArchive = Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa");
      List<String> leanFlags = null;
      for (int r = 1; r <= runs; r++) {
        ProcessHandle spare = awaitIdleSpare(cold, warm, pause);
        if (leanFlags == null) {
          leanFlags = flagsOf(spare);
          archive = archiveOf(leanFlags);
          System.out.println("a spare's flags: " + String.join(" ", leanFlags));
          System.out.println(
              "the spare maps the archive: "
                  + archive
                  + (archive != null && Files.isRegularFile(archive)
                      ? " (" + String.format(Locale.ROOT, "%,d", Files.size(archive)) + " bytes)"
                      : " (MISSING)"));
        }
        memory.computeIfAbsent("spare", k -> new ArrayList<>()).add(memoryOf(spare.pid()));

        Fresh hello = fresh(List.of(), StartupTasks.Hello.class.getName());
        add("hello", hello.exit());
        add("hello: fork → main", hello.boot());
        Fresh connect = fresh(List.of(), StartupTasks.Connect.class.getName(), address);
        add("connect", connect.line());
        add("connect: to exit", connect.exit());
        add("connect: fork → main", connect.boot());
        add("connect: main → connected + 1 call", connect.work());
        Fresh lean = fresh(leanFlags, StartupTasks.Connect.class.getName(), address);
        add("connect, lean flags + archive", lean.line());
        add("connect, lean flags + archive: fork → main", lean.boot());
        add("connect, lean flags + archive: main → connected + 1 call", lean.work());

        Spawn c = spawn(cold, StartupTasks.LAMBDA, ProcessOptions.defaults());
        addSpawn("cold", c);
        Spawn j =
            spawn(
                cold,
                StartupTasks.LAMBDA,
                ProcessOptions.defaults().jvmOptions("-XX:SharedArchiveFile=" + jdkArchive));
        addSpawn("cold, JDK's CDS archive only", j);

        awaitIdleSpare(cold, warm, pause);
        Spawn wl = spawn(warm, StartupTasks.LAMBDA, ProcessOptions.defaults());
        addSpawn("warm, lambda task", wl);
        spare = awaitIdleSpare(cold, warm, pause);
        memory.computeIfAbsent("spare", k -> new ArrayList<>()).add(memoryOf(spare.pid()));
        Spawn wc = spawn(warm, new StartupTasks.ClassTask(), ProcessOptions.defaults());
        addSpawn("warm, class task", wc);
        System.out.printf(
            Locale.ROOT,
            "run %2d: hello %.0f ms, connect %.0f ms (lean %.0f), cold %.0f ms (JDK CDS only %.0f),"
                + " warm lambda %.1f ms (task at %.1f), warm class %.1f ms (task at %.1f); load %s%n",
            r,
            hello.exit(),
            connect.line(),
            lean.line(),
            c.result(),
            j.result(),
            wl.result(),
            wl.toTask(),
            wc.result(),
            wc.toTask(),
            WatchBench.loadAverage());
      }
      awaitIdleSpare(cold, warm, pause);
      for (int k = 0; k < 5; k++) {
        memory
            .computeIfAbsent("idle JVM, default flags", x -> new ArrayList<>())
            .add(idle(List.of()));
        memory
            .computeIfAbsent("idle JVM, the children's flags + archive", x -> new ArrayList<>())
            .add(idle(leanFlags));
      }
      ProcessHandle spare = awaitIdleSpare(cold, warm, pause);
      for (int k = 0; k < 3; k++) {
        Thread.sleep(5000);
        memory
            .computeIfAbsent("spare after 5, 10, 15 s more idle", x -> new ArrayList<>())
            .add(memoryOf(spare.pid()));
      }
      System.out.println("load average at end: " + WatchBench.loadAverage());
    } finally {
      if (archive != null && !before.contains(archive)) {
        Files.deleteIfExists(archive);
        System.out.println("deleted this run's archive " + archive);
      }
    }
    report();
    System.exit(0);
  }

  private static void addSpawn(String what, Spawn s) {
    add(what, s.result());
    add(what + ": process() call", s.call());
    add(what + ": → task running", s.toTask());
    add(what + ": task → result in parent", s.fromTask());
    add(what + ": to child exit", s.exit());
  }

  /** Starts a task, waits for its result, then for its JVM to end. */
  private static Spawn spawn(ZProc ctx, ProcessTask<Long> task, ProcessOptions options)
      throws InterruptedException {
    long t0 = System.nanoTime();
    ZProcess<Long> p = ctx.process(task, options);
    long t1 = System.nanoTime();
    Long ran = p.result().block(Duration.ofSeconds(120));
    long t2 = System.nanoTime();
    if (ran == null) {
      throw new IllegalStateException("no result from " + p);
    }
    while (p.isAlive() && System.nanoTime() - t2 < 20_000_000_000L) {
      Thread.sleep(1);
    }
    long t3 = System.nanoTime();
    return new Spawn(ms(t2 - t0), ms(ran - t0), ms(t2 - ran), ms(t1 - t0), ms(t3 - t0));
  }

  /**
   * Starts {@code java <flags> -cp <classpath> <main> <args>}; times its first line and its exit.
   */
  private static Fresh fresh(List<String> flags, String main, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    command.addAll(Arrays.asList(args));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      long t1 = System.nanoTime();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(main + " did not exit");
      }
      long t2 = System.nanoTime();
      if (line == null) {
        throw new IllegalStateException(main + " printed nothing; exit " + p.exitValue());
      }
      String[] f = line.split(" ");
      long atMain = Long.parseLong(f[1]);
      double work = f.length > 2 ? ms(Long.parseLong(f[2]) - atMain) : 0;
      return new Fresh(ms(t1 - t0), ms(t2 - t0), ms(atMain - t0), work, line);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Starts an idle JVM, waits until it is idle (as a spare), and reads its memory. */
  private static Memory idle(List<String> flags) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StartupTasks.Idle.class.getName());
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      awaitIdle(p.toHandle(), 1500);
      return memoryOf(p.pid());
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The warm context's spare JVM, once it has run for at least {@code minAgeMillis} and used no CPU
   * for 200 ms. Also waits until no other child JVM is left running.
   */
  private static ProcessHandle awaitIdleSpare(ZProc cold, ZProc warm, long minAgeMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      Set<Long> started = new HashSet<>();
      for (ZProcess<?> p : cold.processes()) {
        started.add(p.pid());
      }
      for (ZProcess<?> p : warm.processes()) {
        started.add(p.pid());
      }
      List<ProcessHandle> spares = new ArrayList<>();
      boolean othersRunning = false;
      for (ProcessHandle h : ProcessHandle.current().children().toList()) {
        if (!h.isAlive()) {
          continue;
        }
        if (started.contains(h.pid()) || !cmdline(h.pid()).contains(CHILD_MAIN)) {
          othersRunning = true;
        } else {
          spares.add(h);
        }
      }
      if (spares.size() == 1 && !othersRunning) {
        ProcessHandle spare = spares.get(0);
        awaitIdle(spare, minAgeMillis);
        return spare;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no idle spare JVM within 60 s");
  }

  /** Waits until a process is at least that old and used no CPU over the last 200 ms. */
  private static void awaitIdle(ProcessHandle h, long minAgeMillis) throws InterruptedException {
    Instant start = h.info().startInstant().orElse(Instant.now());
    long wait = Duration.between(Instant.now(), start.plusMillis(minAgeMillis)).toMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    long cpu = cpuOf(h);
    for (int k = 0; k < 300; k++) {
      Thread.sleep(200);
      long now = cpuOf(h);
      if (now - cpu == 0) {
        return;
      }
      cpu = now;
    }
  }

  private static long cpuOf(ProcessHandle h) {
    return h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static String cmdline(long pid) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** A child's JVM flags: its command line between the java executable and {@code -cp}. */
  private static List<String> flagsOf(ProcessHandle child) throws IOException {
    String[] args =
        new String(
                Files.readAllBytes(Path.of("/proc/" + child.pid() + "/cmdline")),
                StandardCharsets.UTF_8)
            .split("\0");
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < args.length && !args[i].equals("-cp"); i++) {
      flags.add(args[i]);
    }
    return flags;
  }

  private static @Nullable Path archiveOf(List<String> flags) {
    for (String f : flags) {
      if (f.startsWith("-XX:SharedArchiveFile=")) {
        return Path.of(f.substring("-XX:SharedArchiveFile=".length()));
      }
    }
    return null;
  }

  private static Set<Path> list(Path dir) throws IOException {
    Set<Path> files = new HashSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.forEach(files::add);
      }
    }
    return files;
  }

  /** Waits for a new {@code child-*.jsa} in the archive directory; null if none appears in time. */
  private static @Nullable Path awaitNewArchive(Path dir, Set<Path> before, long timeoutMillis)
      throws Exception {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (System.nanoTime() < deadline) {
      for (Path p : list(dir)) {
        String name = p.getFileName().toString();
        if (!before.contains(p) && name.startsWith("child-") && name.endsWith(".jsa")) {
          return p;
        }
      }
      Thread.sleep(20);
    }
    return null;
  }

  /** VmRSS and its parts from /proc/pid/status, Pss and its parts from /proc/pid/smaps_rollup. */
  private static Memory memoryOf(long pid) throws IOException {
    Map<String, Long> kb = new LinkedHashMap<>();
    for (String file : List.of("status", "smaps_rollup")) {
      Path path = Path.of("/proc/" + pid + "/" + file);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 3 && f[2].equals("kB")) {
          kb.putIfAbsent(file + ":" + f[0].replace(":", ""), Long.parseLong(f[1]));
        }
      }
    }
    return new Memory(
        kb.getOrDefault("status:VmRSS", -1L),
        kb.getOrDefault("status:RssAnon", -1L),
        kb.getOrDefault("status:RssFile", -1L),
        kb.getOrDefault("smaps_rollup:Pss", -1L),
        kb.getOrDefault("smaps_rollup:Pss_Anon", -1L),
        kb.getOrDefault("smaps_rollup:Pss_File", -1L));
  }

  private static void report() {
    System.out.println();
    System.out.println("| what | p50 ms | min – max ms | n |");
    System.out.println("|---|---:|---:|---:|");
    for (Map.Entry<String, List<Double>> e : millis.entrySet()) {
      double[] v = sorted(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f – %.1f | %d |%n",
          e.getKey(),
          median(v),
          v[0],
          v[v.length - 1],
          v.length);
    }
    System.out.println();
    System.out.println(
        "| idle JVM | VmRSS MB | RssAnon MB | RssFile MB | Pss MB | Pss_Anon MB | Pss_File MB | n |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, List<Memory>> e : memory.entrySet()) {
      List<Memory> ms = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
          e.getKey(),
          mb(ms, Memory::rss),
          mb(ms, Memory::rssAnon),
          mb(ms, Memory::rssFile),
          mb(ms, Memory::pss),
          mb(ms, Memory::pssAnon),
          mb(ms, Memory::pssFile),
          ms.size());
    }
    System.out.println();
    System.out.println("Targets (p50):");
    for (String warm : List.of("warm, lambda task", "warm, class task")) {
      double w = p50(warm);
      System.out.printf(
          Locale.ROOT,
          "  %-40s %.1f ms = %.2f× the target ≤ 8 ms: %s%n",
          warm,
          w,
          w / TARGET_WARM_MILLIS,
          w <= TARGET_WARM_MILLIS ? "MET" : "MISSED");
    }
    double connect = p50("connect");
    double hello = p50("hello");
    for (String cold : List.of("cold", "cold, JDK's CDS archive only")) {
      double c = p50(cold);
      System.out.printf(
          Locale.ROOT,
          "  %-40s %.1f ms = %.2f× (fresh JVM + connect + 1 call, %.1f ms), target ≤ 1.3×: %s;"
              + " %.2f× the bare hello (%.1f ms)%n",
          cold,
          c,
          c / connect,
          connect,
          c / connect <= TARGET_COLD_RATIO ? "MET" : "MISSED",
          c / hello,
          hello);
    }
    List<Memory> spare = memory.get("spare");
    if (spare != null) {
      double rss = mb(spare, Memory::rss);
      System.out.printf(
          Locale.ROOT,
          "  %-40s VmRSS %.1f MB = %.2f× the target ≤ 60 MB: %s (Pss %.1f MB)%n",
          "idle spare",
          rss,
          rss / TARGET_IDLE_RSS_MB,
          rss <= TARGET_IDLE_RSS_MB ? "MET" : "MISSED",
          mb(spare, Memory::pss));
    }
  }

  private static double p50(String what) {
    List<Double> v = millis.get(what);
    return v == null ? Double.NaN : median(sorted(v));
  }

  private static double mb(List<Memory> ms, java.util.function.ToLongFunction<Memory> f) {
    double[] v = ms.stream().mapToDouble(m -> f.applyAsLong(m) / 1024.0).sorted().toArray();
    return median(v);
  }

  private static double[] sorted(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
