package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.rsocket.connect.Wire;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A server refuses a connection past {@code maxConnections}, and takes one again once freed. */
class ConnectionLimitTest {
  private static final WireClientOptions CLIENT =
      WireClientOptions.defaults().withDirect(false).withLocalSocket(false);

  @Test
  void connectionPastTheLimit_refusedNamingIt_acceptedAgainOnceOneCloses() {
    WireServerOptions options =
        WireServerOptions.defaults()
            .withLimits(new WireServerOptions.Limits(1 << 20, 2))
            .withLocalSocket(false);
    try (WirePair pair = WirePair.start("tcp://127.0.0.1:0", options, CLIENT)) {
      WireClient second = pair.connect(CLIENT);
      try {
        Wire.connect(pair.server.address().toString(), CLIENT)
            .flatMap(third -> third.request(TestService.echo(3)).doFinally(s -> third.dispose()))
            .as(StepVerifier::create)
            .expectErrorSatisfies(
                e ->
                    assertThat(e)
                        .isInstanceOf(WireException.class)
                        .hasMessageContaining("maxConnections"))
            .verify(TIMEOUT);
        // the two admitted are served all along
        second
            .request(TestService.echo(2))
            .as(StepVerifier::create)
            .expectNextCount(1)
            .expectComplete()
            .verify(TIMEOUT);
      } finally {
        second.dispose();
      }
      await().atMost(TIMEOUT).until(() -> pair.service.closedSessions.get() == 1);
      assertThat(WirePair.assertServed(pair.server.address().toString(), CLIENT, "again"))
          .isEqualTo("tcp");
    }
  }
}
