package io.zproc.internal.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a child JVM's command line: the parent's java and classpath, its flags, and class-data
 * sharing. When the classpath is made of jar files only, the first child lists every class it loads
 * ({@code -XX:DumpLoadedClassList}); once it has exited, a background {@code java -Xshare:dump}
 * turns the list into one static AppCDS archive of the JDK's and the application's classes (in the
 * user's private directory, {@code $java.io.tmpdir/zproc-<uid>/cds}, keyed by the JDK and the
 * classpath's jars, sizes and times). Later children map it ({@code -XX:SharedArchiveFile}) instead
 * of the JDK's default archive, and start faster.
 */
public final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /**
   * Flags every child gets: no perf data file, class-data sharing (quietly), and Netty without JFR
   * events, pooled or direct buffers, and with one event loop (a child's own traffic is light).
   */
  static final List<String> COMMON_FLAGS =
      List.of(
          "-XX:-UsePerfData",
          "-Xshare:auto",
          "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off",
          "-Dio.netty.jfr.enabled=false",
          "-Dio.netty.allocator.type=unpooled",
          "-Dio.netty.noPreferDirect=true",
          "-Dreactor.netty.ioWorkerCount=1");

  /**
   * A child computes at full speed by default: the JVM's own compiler settings (C1 and C2) and heap
   * sizing, and the parallel collector, which ran the user-path CPU task fastest on two cores (see
   * docs/performance.md, "The user path").
   */
  static final List<String> FULL_SPEED_FLAGS = List.of("-XX:+UseParallelGC");

  /**
   * Flags that make a small, fast-starting child ({@code ProcessOptions.lean()}): the serial
   * collector with a small heap whose young generation is a seventh of it and that gives memory
   * back, C1 only, small thread stacks and code cache, a string table sized for a few thousand
   * strings. It computes at about half the speed of a full-speed child once warm.
   */
  static final List<String> LEAN_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-Xss256k",
          "-Xms4m",
          "-XX:NewRatio=6",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-XX:ReservedCodeCacheSize=16m",
          "-XX:StringTableSize=4096");

  /**
   * Returns the freed native memory (the JIT's scratch memory, mostly) to the OS every 2 s: where
   * this JVM has the flag (HotSpot 17.0.9+, 21.0.1+, 22+) and glibc's {@code malloc_trim}.
   */
  static final List<String> TRIM_FLAGS =
      trimsNativeHeap(Runtime.version(), System.getProperty("os.name", ""), isMusl())
          ? List.of("-XX:TrimNativeHeapInterval=2000")
          : List.of();

  /** The system property that tells a child it lists its classes (so it exits normally). */
  public static final String DUMPING = "zproc.child.cdsDump";

  /**
   * The system property that tells a spare to build the value mapper while it waits: set when the
   * archive it maps holds the mapper's classes (the child that listed them used it).
   */
  public static final String WARM_MAPPER = "zproc.child.warmMapper";

  /**
   * The system property that tells a child how many rounds of state calls to warm up with while it
   * waits as a spare (0: none). Children get it from the parent's {@code io.zproc.spareWarmUp}
   * (rounds, by default {@value #DEFAULT_WARM_UP_ROUNDS}; 0 turns warming off).
   */
  public static final String WARM_UP_ROUNDS = "zproc.child.warmUpRounds";

  /** How many rounds a spare warms up with by default (1-2 s of CPU, on idle cycles). */
  static final int DEFAULT_WARM_UP_ROUNDS = 1000;

  /** The rounds a spare of the configured pool warms up with (0: spares do not warm up). */
  static final int WARM_UP =
      Math.max(0, Integer.getInteger("io.zproc.spareWarmUp", DEFAULT_WARM_UP_ROUNDS));

  /** The class list entry that shows a child built the value mapper (Jackson data binding). */
  static final String MAPPER_CLASS = "io/zproc/internal/Json$MapperHolder";

  /**
   * The system property naming the file a child makes if it builds the value mapper while its
   * archive lacks it (see {@link #mapperWanted}).
   */
  public static final String MAPPER_WANTED = "zproc.child.mapperWanted";

  /** The child JVM's main class (named, not referenced: it sits above this package). */
  static final String CHILD_MAIN = "io.zproc.internal.child.ChildMain";

  private static final @Nullable Path ARCHIVE = archivePath();
  private static final AtomicBoolean dumping = new AtomicBoolean();

  /** A command line, and the class list it records (made an archive when it exits), if any. */
  /**
   * A child's command line, the class list it records for the archive (if it does), and whether it
   * warms up while it waits as a spare.
   */
  record Command(List<String> args, @Nullable Path recording) {
    boolean warmsUp() {
      return args.contains("-D" + WARM_UP_ROUNDS + "=" + WARM_UP);
    }
  }

  static Command command(List<String> jvmOptions) {
    return command(jvmOptions, false);
  }

  static Command command(List<String> jvmOptions, boolean lean) {
    return command(jvmOptions, lean, ARCHIVE, dumping);
  }

  static Command command(List<String> jvmOptions, @Nullable Path archive, AtomicBoolean dumping) {
    return command(jvmOptions, false, archive, dumping);
  }

  /**
   * The command line for a child: lean or full-speed flags, given the archive for this classpath
   * (null: none) and whether a child is already listing its classes.
   */
  static Command command(
      List<String> jvmOptions, boolean lean, @Nullable Path archive, AtomicBoolean dumping) {
    return command(jvmOptions, lean, false, archive, dumping);
  }

  /**
   * The command line for a spare: with {@code warmUp}, it warms up while it waits (see {@link
   * #WARM_UP_ROUNDS}), unless the parent's {@code io.zproc.spareWarmUp} is 0.
   */
  static Command spareCommand(boolean warmUp) {
    return command(List.of(), false, warmUp, ARCHIVE, dumping);
  }

  static Command command(
      List<String> jvmOptions,
      boolean lean,
      boolean warmUp,
      @Nullable Path archive,
      AtomicBoolean dumping) {
    if (archive != null) {
      ArchiveLeftovers.sweepOnce(archive);
    }
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(JvmFlags.withoutOverridden(COMMON_FLAGS, jvmOptions));
    command.addAll(JvmFlags.withoutOverridden(lean ? LEAN_FLAGS : FULL_SPEED_FLAGS, jvmOptions));
    command.addAll(JvmFlags.withoutOverridden(TRIM_FLAGS, jvmOptions));
    Path recording = null;
    if (archive != null) {
      if (Files.isRegularFile(archive)) {
        command.add("-XX:SharedArchiveFile=" + archive);
        if (Files.exists(mapperMarker(archive))) {
          command.add("-D" + WARM_MAPPER + "=true");
        } else if (Files.exists(mapperWanted(archive)) && dumping.compareAndSet(false, true)) {
          // A child built the value mapper from the jars (a task stored a record or a POJO):
          // this one lists its classes again, mapper included, for an archive that holds it.
          recording = classList(archive);
          command.add("-XX:DumpLoadedClassList=" + recording);
          command.add("-D" + DUMPING + "=true");
          command.add("-D" + WARM_MAPPER + "=true");
        } else {
          command.add("-D" + MAPPER_WANTED + "=" + mapperWanted(archive));
        }
      } else if (dumping.compareAndSet(false, true)) {
        recording = classList(archive);
        command.add("-XX:DumpLoadedClassList=" + recording);
        command.add("-D" + DUMPING + "=true");
      }
    }
    if (warmUp && WARM_UP > 0) {
      command.add("-D" + WARM_UP_ROUNDS + "=" + WARM_UP);
    }
    // The same temporary directory as this JVM: the server's unix socket and lane are found there.
    command.addAll(
        JvmFlags.withoutOverridden(
            List.of("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")), jvmOptions));
    command.addAll(jvmOptions); // last, so that the user's options win
    command.addAll(LaunchPath.mainArgs(CHILD_MAIN)); // -cp <class path> <main>, or modules
    return new Command(command, recording);
  }

  /**
   * Called when the child that listed its classes has exited: unless it was killed, dumps the
   * archive from its list in a background JVM and moves it in place.
   */
  static void recorded(Path recording, int exitCode) {
    Path archive = ARCHIVE;
    if (archive == null || exitCode > 128 || exitCode < 0) {
      delete(recording);
      dumping.set(false); // killed: its list may be short; let a later child list again
      return;
    }
    Thread dump = new Thread(() -> dump(recording, archive), "zproc-cds-dump");
    dump.setDaemon(true);
    dump.start();
  }

  private static void dump(Path classList, Path archive) {
    Path partial = classList.resolveSibling(classList.getFileName() + ".dumping");
    ArchiveLeftovers.Dump running = ArchiveLeftovers.started(classList, partial);
    try {
      Process p =
          new ProcessBuilder(
                  java(),
                  "-Xshare:dump",
                  "-XX:SharedClassListFile=" + classList,
                  "-XX:SharedArchiveFile=" + partial,
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:-UsePerfData",
                  "-cp",
                  System.getProperty("java.class.path"))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      running.process = p;
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        log.debug("no class-data archive: dumping took over 120 s");
      } else if (p.exitValue() != 0) {
        log.debug("no class-data archive: java -Xshare:dump exited with {}", p.exitValue());
      } else {
        Path marker = mapperMarker(archive);
        boolean withMapper = listsMapper(classList);
        if (Files.size(partial) > 0
            && replaces(Files.exists(archive), withMapper, Files.exists(marker))) {
          if (withMapper) {
            Files.write(marker, new byte[0]);
          } else {
            Files.deleteIfExists(marker); // left by an earlier archive of the same name
          }
          // A rename: children mapping the old archive keep it until they exit.
          Files.move(
              partial,
              archive,
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
          Files.deleteIfExists(mapperWanted(archive));
          dumping.set(false);
          log.debug("recorded the child class-data archive {}", archive);
        }
      }
    } catch (IOException e) {
      log.debug("no class-data archive recorded: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      delete(classList);
      delete(partial);
      ArchiveLeftovers.ended(running);
    }
  }

  private static Path classList(Path archive) {
    return archive.resolveSibling(
        archive.getFileName() + "." + ProcessHandle.current().pid() + ".classlist");
  }

  /**
   * The file a child makes when it built the value mapper although the archive it mapped does not
   * hold the mapper's classes: the next child then lists its classes again for a new archive.
   */
  /**
   * Tells later children that tasks here use the value mapper, when this JVM built it although its
   * archive did not hold its classes (see {@link #mapperWanted}): the next child lists its classes
   * for an archive that does, so that such tasks do not load Jackson's data binding from the jars
   * (0.3–0.4 s) in every child.
   *
   * @param wanted the file to make, or null
   */
  public static void noteMapperUse(@Nullable String wanted, boolean built) {
    if (wanted == null || !built) {
      return;
    }
    try {
      Files.write(Path.of(wanted), new byte[0]);
    } catch (IOException | RuntimeException e) {
      // only an optimisation for later children
    }
  }

  static Path mapperWanted(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".mapper-wanted");
  }

  /**
   * Whether a freshly dumped archive goes in place: when there is none yet, or when it holds the
   * value mapper and the one in place does not.
   */
  static boolean replaces(boolean archiveExists, boolean newListsMapper, boolean oldHasMapper) {
    return !archiveExists || (newListsMapper && !oldHasMapper);
  }

  /** The file whose presence says that the archive holds the value mapper's classes. */
  static Path mapperMarker(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".mapper");
  }

  /** Whether the child that wrote the class list built the value mapper. */
  static boolean listsMapper(Path classList) throws IOException {
    try (var lines = Files.lines(classList, StandardCharsets.ISO_8859_1)) {
      return lines.anyMatch(
          line ->
              line.startsWith(MAPPER_CLASS)
                  && (line.length() == MAPPER_CLASS.length()
                      || line.charAt(MAPPER_CLASS.length()) == ' '));
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete {}", file, e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Whether {@code -XX:TrimNativeHeapInterval} exists in this JDK and works on this OS. */
  static boolean trimsNativeHeap(Runtime.Version version, String osName, boolean musl) {
    if (!osName.startsWith("Linux") || musl) {
      return false;
    }
    int feature = version.feature();
    return feature >= 22
        || (feature == 21 && version.update() >= 1)
        || (feature == 17 && version.update() >= 9);
  }

  private static boolean isMusl() {
    try (var files = Files.list(Path.of("/lib"))) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("ld-musl"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The archive for this JDK and classpath, or null when the classpath has directories or children
   * start on the module path (the archive keys on the class path only).
   */
  private static @Nullable Path archivePath() {
    if (LaunchPath.onModulePath()) {
      return null;
    }
    try {
      // An archive is code: only in this user's private directory, never a shared one.
      Path home = io.zproc.rsocket.internal.PrivateDir.get();
      if (home == null) {
        return null;
      }
      Path dir = home.resolve("cds");
      try {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          return null;
        }
      }
      List<Path> entries = expand(System.getProperty("java.class.path"));
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
      digest.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
      for (Path entry : entries) {
        if (!Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
          return null; // CDS archives classes from jar files only
        }
        digest.update(entry.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        digest.update(Long.toString(Files.size(entry)).getBytes(StandardCharsets.UTF_8));
        digest.update(
            Long.toString(Files.getLastModifiedTime(entry).toMillis())
                .getBytes(StandardCharsets.UTF_8));
      }
      String name = HexFormat.of().formatHex(digest.digest(), 0, 12);
      return dir.resolve("child-" + name + ".jsa");
    } catch (Exception e) {
      log.debug("no class-data sharing for children: {}", e.toString());
      return null;
    }
  }

  /** The classpath's entries, with a single manifest-only jar expanded. */
  private static List<Path> expand(String classpath) throws IOException {
    List<Path> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path path = Path.of(entry);
      entries.add(path);
      if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Manifest manifest = jar.getManifest();
          String extra =
              manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (extra != null) {
            URI base = path.toUri();
            for (String url : extra.trim().split("\\s+")) {
              if (!url.isEmpty()) {
                entries.add(Path.of(base.resolve(url)));
              }
            }
          }
        }
      }
    }
    return entries;
  }
}
