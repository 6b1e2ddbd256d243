package io.zproc.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server for a test class: started before its tests on a free port in a temporary
 * directory (no snapshots, no append-only file, unless {@code persistent}), stopped after them. A
 * class that registers it is skipped, saying why, only when redis-server is not installed.
 *
 * <pre>
 * {@code @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension(false);}
 * </pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {
  private static final Duration READY = Duration.ofSeconds(20);

  private final boolean persistent;
  private Path dir;
  private int port;
  private Process process;

  /**
   * @param persistent whether Redis keeps its data across its own restart (an append-only file)
   */
  public RedisServerExtension(boolean persistent) {
    this.persistent = persistent;
  }

  /** The redis-server executable, or null when it is not installed. */
  public static Path executable() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d, "redis-server");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Path debian = Path.of("/usr/bin/redis-server");
    return Files.isExecutable(debian) ? debian : null;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Assumptions.assumeTrue(
        executable() != null,
        "redis-server is not installed (Debian: apt-get install redis-server): the redis store's"
            + " tests need a real Redis");
    dir = Files.createTempDirectory("zproc-redis");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {@code redis://127.0.0.1:port}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts Redis (again) on the same port and directory, and waits until it answers. */
  public void start() {
    List<String> command = new ArrayList<>();
    command.add(executable().toString());
    command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1"));
    command.addAll(List.of("--dir", dir.toString(), "--save", ""));
    command.addAll(List.of("--appendonly", persistent ? "yes" : "no"));
    command.addAll(List.of("--appendfsync", "always"));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await("redis-server on port " + port).atMost(READY).until(this::answers);
  }

  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      s.getOutputStream().write("PING\r\n".getBytes());
      return s.getInputStream().read() == '+';
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills Redis at once (SIGKILL), as a crash would, and waits until it is gone. */
  public void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Stops Redis (SIGTERM, then SIGKILL) and waits until it is gone. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
