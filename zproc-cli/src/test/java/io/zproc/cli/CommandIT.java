package io.zproc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.MapOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/zproc} on the runnable jar, as a user runs it: a standalone server in its own process,
 * and each client command its own JVM over TCP. Shows the jar is complete (one Netty, the services
 * merged) and the script finds it.
 */
class CommandIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("listening on (tcp://[0-9.]+:\\d+)");

  @TempDir static Path dir;
  private static Path keyFile;
  private static Process server;
  private static Path serverOut;
  private static String address;

  @BeforeAll
  static void startServer() throws Exception {
    keyFile = dir.resolve("key");
    Files.writeString(keyFile, "it-key\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    serverOut = dir.resolve("server.out");
    server =
        command("server", "--address", "tcp://127.0.0.1:0", "--secret-key-file", keyFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(serverOut.toFile())
            .start();
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> LISTENING.matcher(Files.readString(serverOut)).find() || !server.isAlive());
    Matcher m = LISTENING.matcher(Files.readString(serverOut));
    assertThat(m.find()).as("the server's output: %s", Files.readString(serverOut)).isTrue();
    address = m.group(1);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.destroy(); // SIGTERM: the shutdown hook closes the server
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("zproc.cli.home"), "bin", "zproc").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("ZPROC_JAR", System.getProperty("zproc.cli.jar"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("CLASSPATH");
    env.remove("JAVA_OPTS");
    return pb;
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("zproc " + String.join(" ", args) + " did not end in " + WAIT);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static Run client(String command, String... rest) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command, "--address", address));
    args.add("--secret-key-file");
    args.add(keyFile.toString());
    args.addAll(List.of(rest));
    return run(args.toArray(new String[0]));
  }

  @Test
  void putGetWatchNamespaces_againstAStandaloneServer() throws Exception {
    assertThat(client("put", "-n", "jobs", "cookies", "5").code()).isZero();
    assertThat(client("put", "-n", "jobs", "who", "Alice").code()).isZero();

    Run get = client("get", "-n", "jobs");
    assertThat(get.code()).as(get.err()).isZero();
    assertThat(get.out().strip()).isEqualTo("{\"cookies\":5,\"who\":\"Alice\"}");

    Run watch = client("watch", "-n", "jobs", "--after", "0", "--count", "2");
    assertThat(watch.code()).as(watch.err()).isZero();
    assertThat(watch.out().lines().toList())
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).startsWith("{\"namespace\":\"jobs\",\"version\":"));

    Run names = client("namespaces");
    assertThat(names.code()).isZero();
    assertThat(names.out().lines().toList()).contains("jobs");
  }

  @Test
  void worker_servesARemoteProcessMap_withTheApplicationsClassesOnItsClassPath() throws Exception {
    Path workerOut = dir.resolve("worker.out");
    ProcessBuilder pb =
        command(
                "worker",
                "--connect",
                address,
                "--secret-key-file",
                keyFile.toString(),
                "--slots",
                "2",
                "--allow",
                "io.zproc.cli.**")
            .redirectErrorStream(true)
            .redirectOutput(workerOut.toFile());
    // the application's classes: here the test's own, whose lambda is the task
    pb.environment()
        .put("CLASSPATH", Path.of("target", "test-classes").toAbsolutePath().toString());
    Process worker = pb.start();
    try (ZProc ctx =
        ZProc.connect(address, ZProcOptions.defaults().secretKey("it-key").namespace("map"))) {
      List<Integer> items = java.util.stream.IntStream.range(0, 50).boxed().toList();
      List<Integer> doubled =
          ctx.processMap(items, (Integer x) -> x * 2, MapOptions.defaults().remote(true))
              .collectList()
              .block(WAIT);
      assertThat(doubled).isEqualTo(items.stream().map(x -> x * 2).toList());
    } finally {
      worker.destroy();
      if (!worker.waitFor(30, TimeUnit.SECONDS)) {
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    assertThat(Files.readString(workerOut)).doesNotContain("Exception");
  }

  @Test
  void serverOnARedisStore_aRestartedServerLosesNothing() throws Exception {
    Path redisServer = Path.of("/usr/bin/redis-server");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(redisServer), "redis-server is not installed (.ci/run installs it)");
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path redisDir = Files.createDirectories(dir.resolve("redis"));
    Process redis =
        new ProcessBuilder(
                redisServer.toString(),
                "--port",
                String.valueOf(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                redisDir.toString())
            .redirectErrorStream(true)
            .redirectOutput(redisDir.resolve("redis.out").toFile())
            .start();
    try {
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> Files.readString(redisDir.resolve("redis.out")).contains("Ready to accept"));
      String store = "redis://127.0.0.1:" + port;
      String first = storeServer(store, "first");
      Run put = run("put", "--address", first, "--secret-key-file", keyFile.toString(), "k", "42");
      assertThat(put.code()).as(put.err()).isZero();
      stopStoreServer("first");
      String second = storeServer(store, "second");
      Run get = run("get", "--address", second, "--secret-key-file", keyFile.toString(), "k");
      assertThat(get.code()).as(get.err()).isZero();
      assertThat(get.out().strip()).isEqualTo("42");
      stopStoreServer("second");
    } finally {
      for (Process p : storeServers.values()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      redis.destroy();
      if (!redis.waitFor(10, TimeUnit.SECONDS)) {
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private final Map<String, Process> storeServers = new java.util.HashMap<>();

  private String storeServer(String store, String name) throws Exception {
    Path out = dir.resolve(name + ".out");
    Process p =
        command(
                "server",
                "--address",
                "tcp://127.0.0.1:0",
                "--secret-key-file",
                keyFile.toString(),
                "--store",
                store)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    storeServers.put(name, p);
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> LISTENING.matcher(Files.readString(out)).find() || !p.isAlive());
    Matcher m = LISTENING.matcher(Files.readString(out));
    assertThat(m.find()).as("the server's output: %s", Files.readString(out)).isTrue();
    return m.group(1);
  }

  private void stopStoreServer(String name) throws InterruptedException {
    Process p = storeServers.remove(name);
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverRefusesEveryInterfaceWithoutTls_andHelpLists() throws Exception {
    Run refused =
        run("server", "--address", "tcp://0.0.0.0:0", "--secret-key-file", keyFile.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("refusing to serve").contains("--insecure");

    Run help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("server", "worker", "get", "put", "watch", "namespaces");

    Run workerRefused =
        run("worker", "--connect", "tcp://10.0.0.5:5000", "--secret-key-file", keyFile.toString());
    assertThat(workerRefused.code()).isEqualTo(2);
    assertThat(workerRefused.err()).contains("--insecure");

    Run noKey = run("get", "--address", address, "--timeout", "5");
    assertThat(noKey.code()).isEqualTo(1);
    assertThat(noKey.err()).contains("--secret-key-file FILE").contains("(UNAUTHORIZED)");
  }
}
