package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

/** {@link ZProcHealthIndicator}: UP while the server answers a ping, DOWN once it does not. */
class ZProcHealthIndicatorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void health_serverAnswers_upWithAddressNamespaceAndPid() {
    try (ZProc zproc = ZProc.start(ZProcOptions.defaults().namespace("kitchen"))) {
      new ZProcHealthIndicator(zproc, Duration.ofSeconds(5))
          .health()
          .as(StepVerifier::create)
          .assertNext(
              health -> {
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                    .containsEntry("address", zproc.address())
                    .containsEntry("namespace", "kitchen")
                    .containsEntry("pid", ProcessHandle.current().pid());
              })
          .expectComplete()
          .verify(WAIT);
    }
  }

  @Test
  void health_serverGone_downWithTheError() {
    ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0");
    try (ZProc zproc =
        ZProc.connect(
            server.address(),
            ZProcOptions.defaults().connectTimeout(Duration.ofSeconds(2)).localSocket(false))) {
      ZProcHealthIndicator indicator = new ZProcHealthIndicator(zproc, Duration.ofSeconds(2));
      indicator
          .health()
          .as(StepVerifier::create)
          .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.UP))
          .expectComplete()
          .verify(WAIT);
      server.close();
      indicator
          .health()
          .as(StepVerifier::create)
          .assertNext(
              health -> {
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails())
                    .containsEntry("address", server.address())
                    .containsKey("error");
              })
          .expectComplete()
          .verify(WAIT);
    } finally {
      server.close();
    }
  }

  @Test
  void health_closedContext_down() {
    ZProc zproc = ZProc.start();
    ZProcHealthIndicator indicator = new ZProcHealthIndicator(zproc, Duration.ofSeconds(2));
    zproc.close();
    indicator
        .health()
        .as(StepVerifier::create)
        .assertNext(health -> assertThat(health.getStatus()).isEqualTo(Status.DOWN))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void constructor_nonPositiveTimeout_refused() {
    try (ZProc zproc = ZProc.start()) {
      assertThatThrownBy(() -> new ZProcHealthIndicator(zproc, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("zproc.health.timeout must be positive, got PT0S");
    }
  }
}
