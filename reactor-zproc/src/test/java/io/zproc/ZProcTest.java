package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ZProcTest {

  @Test
  void start_ownsServer_closeStopsIt() {
    ZProc ctx = ZProc.start();
    String address = ctx.address();
    assertThat(address).matches("tcp://127\\.0\\.0\\.1:\\d+");
    assertThat(ctx.namespace()).isEqualTo("default");
    assertThat(ctx.state().namespace()).isEqualTo("default");
    ctx.close();
    ctx.close();
    assertThatThrownBy(
            () ->
                ZProc.connect(
                    address,
                    ZProcOptions.defaults()
                        .directPath(false)
                        .connectTimeout(Duration.ofSeconds(2))))
        .isInstanceOf(ZProcException.class)
        .satisfies(
            e -> assertThat(((ZProcException) e).code()).isEqualTo(ErrorCode.CONNECTION_CLOSED));
  }

  @Test
  void connect_closeLeavesServerRunning() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0")) {
      ZProc first = ZProc.connect(server.address());
      first.state().put("k", 1).block();
      first.close();
      try (ZProc second = ZProc.connect(server.address())) {
        assertThat(second.state().get("k").block()).isEqualTo(1);
        assertThat(second.ping().block()).isEqualTo(server.pid());
      }
    }
  }

  @Test
  void namespaces_listsTheUsedOnesSorted_notDroppedOnesNorTheLibrarysOwn() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0");
        ZProc ctx = ZProc.connect(server.address(), ZProcOptions.defaults().namespace("jobs"))) {
      // the context's own state starts its cursor at creation, which makes its namespace
      StepVerifier.create(ctx.namespaces()).expectNext(java.util.List.of("jobs")).verifyComplete();
      ctx.state().put("a", 1).block();
      ctx.state("beta").get("x").block();
      ctx.state("alpha").put("y", 2).block();
      ctx.state("zproc.internal.warm-up").put("z", 3).block();
      StepVerifier.create(ctx.namespaces())
          .expectNext(java.util.List.of("alpha", "beta", "jobs"))
          .verifyComplete();
      ctx.state("beta").drop().block();
      StepVerifier.create(ctx.namespaces())
          .assertNext(
              names -> {
                assertThat(names).containsExactly("alpha", "jobs");
                assertThatThrownBy(() -> names.add("x"))
                    .isInstanceOf(UnsupportedOperationException.class);
              })
          .verifyComplete();
    }
  }

  @Test
  void options_namespace_setsContextState() {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().namespace("jobs"))) {
      assertThat(ctx.namespace()).isEqualTo("jobs");
      assertThat(ctx.state().namespace()).isEqualTo("jobs");
      ctx.state().put("a", 1).block();
      assertThat(ctx.state("default").containsKey("a").block()).isFalse();
    }
  }

  @Test
  void contexts_shareOneServer_seeEachOthersWrites() {
    try (ZProc owner = ZProc.start();
        ZProc viaSocket =
            ZProc.connect(owner.address(), ZProcOptions.defaults().directPath(false))) {
      owner.state().put("from", "owner").block();
      assertThat(viaSocket.state().get("from").block()).isEqualTo("owner");
      viaSocket.state().put("back", 2).block();
      assertThat(owner.state().get("back").block()).isEqualTo(2);
    }
  }

  @Test
  void secretKey_rightKeyServed_wrongOrMissingRefusedClearly() {
    ZProcOptions keyed = ZProcOptions.defaults().secretKey("s3cret");
    // a standalone server: a ZProc.start() server's own user finds its key without being told
    // (SecureByDefaultTest); here a client that has no key has none
    try (ZProcServer server =
            ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().secretKey("s3cret"));
        ZProc owner = ZProc.connect(server.address(), keyed)) {
      owner.state().put("k", 1).block();
      for (boolean direct : new boolean[] {true, false}) {
        for (boolean unix : new boolean[] {true, false}) {
          ZProcOptions base =
              ZProcOptions.defaults()
                  .directPath(direct)
                  .localSocket(unix)
                  .connectTimeout(Duration.ofSeconds(5));
          try (ZProc good = ZProc.connect(owner.address(), base.secretKey("s3cret"))) {
            assertThat(good.state().get("k").block()).isEqualTo(1);
          }
          long started = System.nanoTime();
          assertThatThrownBy(() -> ZProc.connect(owner.address(), base.secretKey("wrong")))
              .isInstanceOf(ZProcException.class)
              .hasMessageContaining("wrong secret key")
              .hasMessageContaining("ZProcOptions.secretKey")
              .satisfies(
                  e -> assertThat(((ZProcException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
          assertThatThrownBy(() -> ZProc.connect(owner.address(), base))
              .isInstanceOf(ZProcException.class)
              .hasMessageContaining("requires one")
              .satisfies(
                  e -> assertThat(((ZProcException) e).code()).isEqualTo(ErrorCode.UNAUTHORIZED));
          assertThat(Duration.ofNanos(System.nanoTime() - started))
              .isLessThan(Duration.ofSeconds(5));
        }
      }
    }
  }

  @Test
  void badAddress_failsAtOnceNamingAcceptedForms() {
    assertThatThrownBy(() -> ZProc.connect("http://localhost:80"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tcp://host:port")
        .hasMessageContaining("unix:///path");
    assertThatThrownBy(() -> ZProcServer.start("tcp://localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void addressInUse_failsWithClearError() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0")) {
      assertThatThrownBy(() -> ZProcServer.start(server.address()))
          .isInstanceOf(ZProcException.class)
          .hasMessageContaining("cannot start a server on " + server.address());
    }
  }

  @Test
  void garbageOnTcpPort_serverLivesOn_otherClientsServed() throws Exception {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0");
        ZProc ctx =
            ZProc.connect(
                server.address(), ZProcOptions.defaults().directPath(false).localSocket(false))) {
      ctx.state().put("before", 1).block();
      int port =
          Integer.parseInt(server.address().substring(server.address().lastIndexOf(':') + 1));
      byte[] junk = new byte[64 * 1024];
      ThreadLocalRandom.current().nextBytes(junk);
      for (int i = 0; i < 3; i++) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          OutputStream out = socket.getOutputStream();
          out.write(new byte[] {0, 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
          out.write(junk);
          out.flush();
        } catch (java.io.IOException expectedWhenServerCloses) {
          // the server may close the connection while we are still writing: that is fine
        }
      }
      ctx.state()
          .put("after", 2)
          .then(ctx.state().get("before"))
          .as(StepVerifier::create)
          .expectNext(1)
          .verifyComplete();
      try (ZProc fresh =
          ZProc.connect(
              server.address(), ZProcOptions.defaults().directPath(false).localSocket(false))) {
        assertThat(fresh.state().get("after").block()).isEqualTo(2);
      }
    }
  }

  @Test
  void oversizedValue_errorsNamingLimitAndOption_connectionLivesOn() {
    try (ZProcServer server =
            ZProcServer.start(
                "tcp://127.0.0.1:0", ServerOptions.defaults().maxFrameSize(64 * 1024));
        ZProc ctx = ZProc.connect(server.address(), ZProcOptions.defaults().directPath(false))) {
      ctx.state()
          .put("big", "x".repeat(100 * 1024))
          .as(StepVerifier::create)
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOf(ZProcException.class)
                      .hasMessageContaining("65536")
                      .hasMessageContaining("maxFrameSize"))
          .verify(Duration.ofSeconds(10));
      ctx.state()
          .put("small", 1)
          .then(ctx.state().get("small"))
          .as(StepVerifier::create)
          .expectNext(1)
          .verifyComplete();
    }
  }

  @Test
  void largeValue_overOneFrame_roundTrips() {
    try (ZProcServer server =
            ZProcServer.start(
                "tcp://127.0.0.1:0", ServerOptions.defaults().maxFrameSize(40 << 20));
        ZProc ctx =
            ZProc.connect(
                server.address(), ZProcOptions.defaults().directPath(false).localSocket(false))) {
      String big = "y".repeat(20 << 20);
      ctx.state().put("big", big).block(Duration.ofSeconds(60));
      assertThat(ctx.state().get("big").block(Duration.ofSeconds(60))).isEqualTo(big);
    }
  }

  @Test
  void serverOptions_rejectBadValues() {
    assertThatThrownBy(() -> ServerOptions.defaults().maxFrameSize(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1024");
    assertThatThrownBy(() -> ServerOptions.defaults().journalSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZProcOptions.defaults().namespace(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZProcOptions.defaults().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
