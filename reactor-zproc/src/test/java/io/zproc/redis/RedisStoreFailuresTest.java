package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zproc.ErrorCode;
import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * What a server on a redis store does when Redis is not there: at start, a clear error naming the
 * option; while serving, errors (never a hang) until Redis is back, then it serves again.
 */
class RedisStoreFailuresTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension(true);

  @Test
  void redisAbsentAtStart_failsWithAClearError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ServerOptions options = ServerOptions.defaults().store("redis://127.0.0.1:" + port);
    assertThatThrownBy(() -> ZProcServer.start("tcp://127.0.0.1:0", options))
        .isInstanceOfSatisfying(
            ZProcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
        .hasMessageContaining("redis://127.0.0.1:" + port)
        .hasMessageContaining("ServerOptions.store")
        .hasMessageContaining("start Redis there");
  }

  @Test
  void redisKilledWhileServing_callsFail_thenTheServerRecovers() throws Exception {
    ServerOptions options = ServerOptions.defaults().store(REDIS.uri());
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0", options);
        ZProc ctx =
            ZProc.connect(
                server.address(), ZProcOptions.defaults().namespace("killed").spareProcesses(0))) {
      State state = ctx.state();
      state.put("before", 1).block(WAIT);
      REDIS.kill();
      // a write and a read fail with STORE_UNAVAILABLE, quickly: no hang
      StepVerifier.create(state.put("during", 2))
          .expectErrorSatisfies(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          ZProcException.class,
                          z -> assertThat(z.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE)))
          .verify(WAIT);
      StepVerifier.create(state.get("before"))
          .expectErrorSatisfies(
              e -> assertThat(((ZProcException) e).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
          .verify(WAIT);
      REDIS.start();
      // Redis kept its data (append-only file): the server serves it again by itself
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> Integer.valueOf(1).equals(state.get("before").block(WAIT)));
      state.put("after", 3).block(WAIT);
      assertThat(state.snapshot().block(WAIT)).containsOnlyKeys("before", "after");
    }
  }
}
