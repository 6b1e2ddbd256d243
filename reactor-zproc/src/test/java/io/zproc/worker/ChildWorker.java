package io.zproc.worker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** A {@code ZProcWorker.main} in a JVM of its own, on the test class path; killed on close. */
final class ChildWorker implements AutoCloseable {
  final Process process;
  private final CompletableFuture<String> joined = new CompletableFuture<>();

  private ChildWorker(Process process) {
    this.process = process;
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  System.out.println("[child worker " + process.pid() + "] " + line);
                  if (line.startsWith("zproc worker joined")) {
                    joined.complete(line);
                  }
                }
              } catch (IOException e) {
                // the process is gone
              }
              joined.completeExceptionally(new IllegalStateException("the worker JVM ended"));
            },
            "child-worker-pump");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code ZProcWorker.main(args)} and waits until it has joined its server. */
  static ChildWorker start(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dio.netty.jfr.enabled=false");
    command.add("-cp");
    command.add(plainClasspath());
    command.add("io.zproc.ZProcWorker");
    command.addAll(List.of(args));
    ChildWorker child =
        new ChildWorker(new ProcessBuilder(command).redirectErrorStream(true).start());
    try {
      child.joined.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      child.close();
      throw e;
    }
    return child;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook runs, the connection just drops. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** The test class path with surefire's manifest-only jar expanded. */
  private static String plainClasspath() throws IOException {
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
