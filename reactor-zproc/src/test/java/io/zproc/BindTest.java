package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.rsocket.internal.SocketFiles;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** {@link ZProcOptions#bind(String)}: where {@code ZProc.start}'s embedded server listens. */
class BindTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void defaultBind_isLoopbackWithAFreePort() {
    assertThat(ZProcOptions.defaults().bind()).isEqualTo("tcp://127.0.0.1:0");
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0))) {
      assertThat(ctx.address()).startsWith("tcp://127.0.0.1:").doesNotEndWith(":0");
    }
  }

  @Test
  void everyInterface_reachableFromAnotherInterface_childrenAndTheSameUserUseLoopback() {
    try (ZProc ctx =
        ZProc.start(ZProcOptions.defaults().bind("tcp://0.0.0.0:0").spareProcesses(0))) {
      // the context, its children and the connection file use the loopback form
      assertThat(ctx.address()).startsWith("tcp://127.0.0.1:");
      int port = Integer.parseInt(ctx.address().substring(ctx.address().lastIndexOf(':') + 1));
      ctx.state().put("k", "v").block(WAIT);

      // the same OS user connects by the loopback address alone (the key is in the file)
      try (ZProc local = ZProc.connect(ctx.address())) {
        StepVerifier.create(local.state().get("k")).expectNext("v").verifyComplete();
      }

      // a child process of the context reaches it
      ZProcess<Object> child = ctx.process(s -> s.get("k").block());
      StepVerifier.create(child.result()).expectNext("v").expectComplete().verify(WAIT);

      // a client of another interface of this host, with the key, reaches it too
      Optional<InetAddress> other = nonLoopbackAddress();
      Assumptions.assumeTrue(
          other.isPresent(), "this host has no non-loopback IPv4 interface to connect through");
      String key = readKeyFile(port);
      String remote = "tcp://" + other.get().getHostAddress() + ":" + port;
      try (ZProc far =
          ZProc.connect(remote, ZProcOptions.defaults().secretKey(key).localSocket(false))) {
        StepVerifier.create(far.state().get("k")).expectNext("v").verifyComplete();
      }
      // and without the key it is refused
      assertThatThrownBy(
              () ->
                  ZProc.connect(
                          remote, ZProcOptions.defaults().secretKey("wrong").localSocket(false))
                      .close())
          .isInstanceOfSatisfying(
              ZProcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
  }

  @Test
  void unixSocket_servesTheContextAndAnotherClient(@TempDir Path dir) {
    String address = "unix://" + dir.resolve("ctx.sock");
    try (ZProc ctx =
        ZProc.start(ZProcOptions.defaults().bind(address).secretKey("k3y").spareProcesses(0))) {
      assertThat(ctx.address()).isEqualTo(address);
      ctx.state().put("n", 1).block(WAIT);
      try (ZProc other =
          ZProc.connect(address, ZProcOptions.defaults().secretKey("k3y").directPath(false))) {
        StepVerifier.create(other.state().get("n")).expectNext(1).verifyComplete();
      }
    }
  }

  @Test
  void local_isRefusedBecauseChildrenCouldNotReachIt() {
    assertThatThrownBy(() -> ZProc.start(ZProcOptions.defaults().bind("local:mine")).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ZProcOptions.bind(\"local:mine\")")
        .hasMessageContaining("child processes could not connect")
        .hasMessageContaining("tcp://0.0.0.0:0");
  }

  @Test
  void malformedOrBlank_isRefusedNamingTheOptionAndTheForms() {
    assertThatThrownBy(() -> ZProc.start(ZProcOptions.defaults().bind("nowhere")).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ZProcOptions.bind(\"nowhere\") is not an address")
        .hasMessageContaining("tcp://host:port");
    assertThatThrownBy(() -> ZProcOptions.defaults().bind("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind address is blank");
  }

  private static String readKeyFile(int port) {
    try {
      Path file = java.util.Objects.requireNonNull(SocketFiles.connectionFile(port));
      return Files.readString(file).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() {
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp() || nif.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
            return Optional.of(a);
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
