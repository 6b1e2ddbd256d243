package io.zproc.internal.process;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a child JVM's command line: the parent's java and classpath, lean flags, and class-data
 * sharing. When the classpath is made of jar files only, the first child records an AppCDS archive
 * of every class a child loads ({@code -XX:ArchiveClassesAtExit}, in the temporary directory, keyed
 * by the JDK and the classpath's jars, sizes and times); later children map it ({@code
 * -XX:SharedArchiveFile}) and start faster.
 */
final class Launcher {
  private static final Logger log = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /** Flags that make a small, fast-starting child. */
  static final List<String> LEAN_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1",
          "-XX:-UsePerfData",
          "-Xss256k",
          "-Xms4m",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-XX:ReservedCodeCacheSize=16m",
          "-Xshare:auto",
          "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off",
          "-Dio.netty.jfr.enabled=false",
          "-Dio.netty.allocator.type=unpooled",
          "-Dio.netty.noPreferDirect=true",
          "-Dreactor.netty.ioWorkerCount=1");

  /** The system property that tells a child it records the archive (so it exits normally). */
  static final String DUMPING = "zproc.child.cdsDump";

  private static final @Nullable Path ARCHIVE = archivePath();
  private static final AtomicBoolean dumping = new AtomicBoolean();

  /** A command line, and the archive it records (to be moved in place when it exits), if any. */
  record Command(List<String> args, @Nullable Path recording) {}

  static Command command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LEAN_FLAGS);
    Path recording = null;
    Path archive = ARCHIVE;
    if (archive != null) {
      if (Files.isRegularFile(archive)) {
        command.add("-XX:SharedArchiveFile=" + archive);
      } else if (dumping.compareAndSet(false, true)) {
        recording =
            archive.resolveSibling(
                archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        command.add("-XX:ArchiveClassesAtExit=" + recording);
        command.add("-D" + DUMPING + "=true");
      }
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChildMain.class.getName());
    return new Command(command, recording);
  }

  /** Moves a recorded archive in place once its child has exited. */
  static void recorded(Path recording) {
    Path archive = ARCHIVE;
    try {
      if (archive != null && Files.size(recording) > 0 && !Files.exists(archive)) {
        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
        log.debug("recorded the child class-data archive {}", archive);
      }
    } catch (IOException e) {
      log.debug("no class-data archive recorded: {}", e.toString());
    } finally {
      try {
        Files.deleteIfExists(recording);
      } catch (IOException e) {
        log.debug("cannot delete {}", recording, e);
      }
      if (archive == null || !Files.exists(archive)) {
        dumping.set(false); // let a later child try again
      }
    }
  }

  /** The archive for this JDK and classpath, or null when the classpath has directories. */
  private static @Nullable Path archivePath() {
    try {
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
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "zproc-cds");
      Files.createDirectories(dir);
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
