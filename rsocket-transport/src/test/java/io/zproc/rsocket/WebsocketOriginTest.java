package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.rsocket.RSocket;
import io.rsocket.core.RSocketConnector;
import io.rsocket.transport.netty.client.WebsocketClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.connect.Wire;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * A web page must not reach a server on the user's machine over {@code ws://}: a handshake whose
 * {@code Origin} is not allowed is closed before anything is read. Clients without an Origin (this
 * library's, any non-browser one) and pages of an allowed origin are served.
 */
class WebsocketOriginTest {
  private static WireServer server;

  @BeforeAll
  static void bind() {
    server =
        Wire.bind(
                "ws://127.0.0.1:0/zproc",
                WireServerOptions.defaults().withAllowedOrigins(Set.of("https://app.example")),
                new TestService())
            .block(TIMEOUT);
  }

  @AfterAll
  static void dispose() {
    WirePair.dispose(server);
  }

  @Test
  void aPageOfAnotherOrigin_isRefused() {
    RSocket page = fromOrigin("https://evil.example");
    try {
      page.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(TestService.echo(1))))
          .as(StepVerifier::create)
          .expectError()
          .verify(TIMEOUT);
    } finally {
      page.dispose();
    }
  }

  @Test
  void aPageOfAnAllowedOrigin_isServed() {
    RSocket page = fromOrigin("https://app.example");
    try {
      page.requestResponse(DefaultPayload.create(CborCodec.encodeRequest(TestService.echo(1))))
          .map(
              p -> {
                try {
                  return CborCodec.decodeReply(p.sliceData());
                } finally {
                  p.release();
                }
              })
          .as(StepVerifier::create)
          .assertNext(reply -> assertThat(reply).isInstanceOf(WireReply.Result.class))
          .expectComplete()
          .verify(TIMEOUT);
    } finally {
      page.dispose();
    }
  }

  @Test
  void aClientWithoutOrigin_isServed() {
    assertThat(
            WirePair.assertServed(
                server.address().toString(),
                WireClientOptions.defaults().withDirect(false),
                "hello"))
        .isEqualTo("ws");
  }

  private static RSocket fromOrigin(String origin) {
    HttpClient http =
        HttpClient.create()
            .host("127.0.0.1")
            .port(server.address().port())
            .headers(h -> h.set("Origin", origin));
    return RSocketConnector.create()
        .connect(WebsocketClientTransport.create(http, "/zproc"))
        .block(TIMEOUT);
  }
}
