package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.rsocket.testing.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children connect however their parent connected: to a TLS server with the parent's trust, to a
 * {@code unix://} server, from a parent with its own temporary and working directories; a context
 * on an in-JVM {@code local:} server says why it cannot start child JVMs.
 */
class ChildConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "changeit";

  @TempDir Path dir;

  @Test
  void tlsServer_childrenAndWorkersConnectOverTlsWithTheParentsTrust() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.pem");
    SelfSignedCertificate.make(keyStore, certificate, PASSWORD);
    try (ZProcServer server =
            ZProcServer.start(
                "tcp://127.0.0.1:0",
                ServerOptions.defaults().tls(keyStore, PASSWORD).secretKey("tls-key"));
        ZProc ctx =
            ZProc.connect(
                server.address(),
                ZProcOptions.defaults().tls(certificate).secretKey("tls-key").spareProcesses(0))) {
      // A child whose temporary directory holds no same-host socket must use tcp: over TLS,
      // with the parent's trust (a plain connection would be refused).
      String elsewhere = "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("no-sockets"));
      assertThat(
              ctx.process(
                      state -> state.increment("n", 1).block(),
                      ProcessOptions.defaults().jvmOptions(elsewhere))
                  .result()
                  .block(WAIT))
          .isEqualTo(1L);
      assertThat(
              ctx.processMap(
                      List.of(1, 2),
                      (Integer i) -> i * 2,
                      MapOptions.defaults().count(1).jvmOptions(elsewhere))
                  .collectList()
                  .block(WAIT))
          .containsExactly(2, 4);
      // and one with the default options
      assertThat(ctx.process(state -> state.increment("n", 1).block()).result().block(WAIT))
          .isEqualTo(2L);
    }
  }

  @Test
  void unixServer_childrenAndWorkersConnect() {
    String address = "unix://" + dir.resolve("zp.sock");
    try (ZProcServer server = ZProcServer.start(address);
        ZProc ctx = ZProc.connect(server.address(), ZProcOptions.defaults().spareProcesses(0))) {
      assertThat(
              ctx.processWithContext(child -> child.address() + " " + child.state().size().block())
                  .result()
                  .block(WAIT))
          .isEqualTo(address + " 0");
      assertThat(
              ctx.processMap(List.of(1, 2), (Integer i) -> i * 2, MapOptions.defaults().count(1))
                  .collectList()
                  .block(WAIT))
          .containsExactly(2, 4);
    }
  }

  @Test
  void localServer_childJvmsCannotReachIt_theErrorSaysWhatToDo() {
    try (ZProcServer server = ZProcServer.start("local:child-connection-test");
        ZProc ctx = ZProc.connect(server.address())) {
      assertThatThrownBy(() -> ctx.process(state -> 1))
          .isInstanceOf(ZProcException.class)
          .hasMessageContaining("local:child-connection-test")
          .hasMessageContaining("tcp://")
          .hasMessageContaining("Backend.THREAD");
      assertThatThrownBy(() -> ctx.processMap(List.of(1), (Integer i) -> i))
          .isInstanceOf(ZProcException.class)
          .hasMessageContaining("processMap");
      // the thread backend works there
      assertThat(
              ctx.process(state -> 7, ProcessOptions.defaults().backend(Backend.THREAD))
                  .result()
                  .block(WAIT))
          .isEqualTo(7);
      assertThat(
              ctx.processMap(
                      List.of(1, 2),
                      (Integer i) -> i + 1,
                      MapOptions.defaults().backend(Backend.THREAD).count(1))
                  .collectList()
                  .block(WAIT))
          .containsExactly(2, 3);
    }
  }

  @Test
  void aChildWithItsOwnTmpdir_stillConnects() throws IOException {
    Path other = Files.createDirectories(dir.resolve("child-tmp"));
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      String seen =
          ctx.process(
                  state ->
                      state.increment("n", 1).block() + " " + System.getProperty("java.io.tmpdir"),
                  ProcessOptions.defaults().jvmOptions("-Djava.io.tmpdir=" + other))
              .result()
              .block(WAIT);
      assertThat(seen).isEqualTo("1 " + other);
    }
  }

  @Test
  void aParentWithOtherTmpAndWorkingDirectories_itsChildrenConnect() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("parent-tmp"));
    Path work = Files.createDirectories(dir.resolve("parent-work"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-Dio.netty.jfr.enabled=false");
    command.add("-cp");
    command.add(ParentDeathTest.plainClasspath());
    command.add(OtherDirsMain.class.getName());
    Process parent =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    try {
      byte[] out = parent.getInputStream().readAllBytes();
      assertThat(parent.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String output = new String(out, StandardCharsets.UTF_8);
      assertThat(output).contains("OK 1 2 [2, 3] " + tmp);
      assertThat(parent.exitValue()).as(output).isZero();
    } finally {
      parent.destroyForcibly();
    }
  }
}
