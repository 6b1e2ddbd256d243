package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.rsocket.internal.SocketFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** kill -9 of a parent: its child and its map worker exit by themselves within 5 s. */
class ParentDeathTest {

  @Test
  void parentKilled_childAndMapWorkerExitWithinFiveSeconds() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dio.netty.jfr.enabled=false");
    command.add("-cp");
    command.add(plainClasspath()); // an IDE-style classpath, not surefire's manifest-only jar
    command.add(KillParentMain.class.getName());
    Process parent = new ProcessBuilder(command).redirectErrorStream(true).start();
    long childPid = -1;
    long workerPid = -1;
    String port = null;
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("PORT ")) {
          port = line.substring(5).trim();
        }
        if (line.startsWith("WORKER ")) {
          workerPid = Long.parseLong(line.substring(7).trim());
        }
        if (line.startsWith("CHILD ")) {
          childPid = Long.parseLong(line.substring(6).trim());
          break;
        }
      }
      assertThat(childPid).as("the parent printed its child's pid").isPositive();
      Optional<ProcessHandle> child = ProcessHandle.of(childPid);
      assertThat(child).isPresent();
      assertThat(child.get().isAlive()).isTrue();
      assertThat(workerPid).as("the parent printed its map worker's pid").isPositive();
      Optional<ProcessHandle> worker = ProcessHandle.of(workerPid);
      assertThat(worker).isPresent();
      assertThat(worker.get().isAlive()).isTrue();
      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
      long killed = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> !child.get().isAlive() && !worker.get().isAlive());
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
    } finally {
      parent.destroyForcibly();
      if (childPid > 0) {
        ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
      }
      if (workerPid > 0) {
        ProcessHandle.of(workerPid).ifPresent(ProcessHandle::destroyForcibly);
      }
      if (port != null) {
        // a server killed with -9 cannot remove its local socket file (the next one would)
        java.nio.file.Files.deleteIfExists(SocketFiles.localSocket(Integer.parseInt(port)));
      }
    }
  }

  /** The test classpath as plain entries, expanding surefire's manifest-only jar. */
  /** The test classpath with surefire's manifest-only jar expanded, for JVMs a test starts. */
  static String plainClasspath() throws Exception {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.endsWith(".jar") && entry.contains("surefire")) {
        try (JarFile jar = new JarFile(entry)) {
          Manifest manifest = jar.getManifest();
          String classPath =
              manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
          if (classPath != null) {
            URI base = Path.of(entry).toUri();
            for (String url : classPath.trim().split("\\s+")) {
              entries.add(Path.of(base.resolve(url)).toString());
            }
            continue;
          }
        }
      }
      entries.add(entry);
    }
    return String.join(File.pathSeparator, entries);
  }
}
