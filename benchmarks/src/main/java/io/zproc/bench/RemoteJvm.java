package io.zproc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RemoteClient} (or {@link WatchClient}) child JVM, driven line by line. Always destroyed
 * by {@link #close()} (and by a shutdown hook should the parent be interrupted).
 */
final class RemoteJvm implements AutoCloseable {
  private final String label;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Thread hook;
  private final String transport;

  private RemoteJvm(String label, Process process) {
    this.label = label;
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.hook = new Thread(process::destroyForcibly, "destroy " + label);
    Runtime.getRuntime().addShutdownHook(hook);
    Thread reader = new Thread(this::readStdout, label + " stdout");
    reader.setDaemon(true);
    reader.start();
    String ready = next(120_000);
    if (!ready.startsWith("BENCH READY ")) {
      close();
      throw new IllegalStateException(label + " did not start: " + ready);
    }
    this.transport = ready.replaceAll(".*transport=(\\S+).*", "$1");
  }

  /**
   * Starts {@code java -cp <this JVM's classpath> io.zproc.bench.RemoteClient args...}, passing on
   * this JVM's {@code -Xms}, {@code -Xmx} and {@code -XX:} flags, and waits until it is connected.
   */
  static RemoteJvm start(String label, List<String> args) {
    return start(label, RemoteClient.class.getName(), args);
  }

  /**
   * As {@link #start(String, List)}, for another main class that speaks the same line protocol
   * ({@code BENCH READY}, then {@code BENCH ...} answers to commands on stdin).
   */
  static RemoteJvm start(String label, String mainClass, List<String> args) {
    return start(label, mainClass, args, List.of());
  }

  /** As {@link #start(String, String, List)}, with extra JVM options for the child. */
  static RemoteJvm start(String label, String mainClass, List<String> args, List<String> jvm) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-Xms")
          || arg.startsWith("-Xmx")
          || arg.startsWith("-XX:")
          || arg.startsWith("-Dio.zproc.")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Dio.netty.jfr.enabled=false");
    command.add(mainClass);
    command.addAll(args);
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new RemoteJvm(label, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + label + ": " + e.getMessage(), e);
    }
  }

  /** How the child reached the server, as it reported: {@code unix}, {@code tcp}, ... */
  String transport() {
    return transport;
  }

  /** Runs one loop in the child and returns its measurement. */
  Measurement run(String loop, long millis) {
    return Measurement.parse(result(loop, millis));
  }

  /** Starts one loop in the child without waiting; {@link #result} collects it. */
  void start(String loop, long millis) {
    send("run " + loop + " " + millis);
  }

  /** Runs one loop in the child and returns its result line's fields ({@code ops=.. nanos=..}). */
  String result(String loop, long millis) {
    start(loop, millis);
    return awaitResult(loop, millis);
  }

  /** Waits for the result of a loop started with {@link #start}; returns its fields. */
  String awaitResult(String loop, long millis) {
    return expect("BENCH RESULT " + loop + " ", millis + 120_000);
  }

  /** Sends one command line. */
  void send(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new IllegalStateException(label + " is gone: " + e.getMessage(), e);
    }
  }

  /** Waits for the next answer, which must start with {@code prefix}; returns the rest. */
  String expect(String prefix, long timeoutMillis) {
    String reply = next(timeoutMillis);
    if (!reply.startsWith(prefix)) {
      throw new IllegalStateException(label + ": expected '" + prefix + "...', got: " + reply);
    }
    return reply.substring(prefix.length());
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  /** The child's CPU time so far (all threads; clock-tick resolution), or 0 if unknown. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
  }

  private String next(long timeoutMillis) {
    try {
      String line = replies.poll(timeoutMillis, TimeUnit.MILLISECONDS);
      if (line == null) {
        return "BENCH ERROR no answer within " + timeoutMillis + " ms";
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "BENCH ERROR interrupted";
    }
  }

  private void readStdout() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("BENCH ")) {
          replies.add(line);
        } else {
          System.out.println("[" + label + "] " + line);
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    replies.add("BENCH ERROR " + label + " exited");
  }

  @Override
  public void close() {
    try {
      stdin.write("quit\n");
      stdin.flush();
      stdin.close();
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // already gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process.destroyForcibly();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs anyway
      }
    }
  }
}
