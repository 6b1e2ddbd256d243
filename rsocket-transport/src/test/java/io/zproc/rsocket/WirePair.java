package io.zproc.rsocket;

import io.zproc.rsocket.connect.Wire;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import reactor.test.StepVerifier;

/**
 * A bound server with a {@link TestService} and one client connected to it, for one test. {@link
 * #close()} disposes both and waits until the server has closed.
 */
final class WirePair implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final TestService service;
  final WireServer server;
  final WireClient client;

  private WirePair(TestService service, WireServer server, WireClient client) {
    this.service = service;
    this.server = server;
    this.client = client;
  }

  /** A unique unix socket path in the temporary directory. */
  static String unixAddress() {
    return "unix://"
        + System.getProperty("java.io.tmpdir")
        + "/zproc-test-"
        + UUID.randomUUID().toString().substring(0, 8)
        + ".sock";
  }

  /** A unique in-JVM name. */
  static String localAddress() {
    return "local:zproc-test-" + UUID.randomUUID();
  }

  /** Binds a server at {@code address} and connects one client to its bound address. */
  static WirePair start(
      String address, WireServerOptions serverOptions, WireClientOptions clientOptions) {
    TestService service = new TestService();
    WireServer server = Wire.bind(address, serverOptions, service).block(TIMEOUT);
    try {
      WireClient client = Wire.connect(server.address().toString(), clientOptions).block(TIMEOUT);
      return new WirePair(service, server, client);
    } catch (RuntimeException e) {
      dispose(server);
      throw e;
    }
  }

  /** This pair, its client seen through {@code view} (which disposes what it wraps). */
  WirePair viewedAs(UnaryOperator<WireClient> view) {
    return new WirePair(service, server, view.apply(client));
  }

  /** Another client of the same server; the caller disposes it. */
  WireClient connect(WireClientOptions options) {
    return Wire.connect(server.address().toString(), options).block(TIMEOUT);
  }

  @Override
  public void close() {
    client.dispose();
    dispose(server);
  }

  /** Disposes a server and waits until it has closed. */
  static void dispose(WireServer server) {
    server.dispose();
    server.onClose().block(TIMEOUT);
  }

  /**
   * Connects a client of its own to {@code address}, checks that an echo of {@code text} comes
   * back, and disposes it.
   *
   * @return the transport the client took
   */
  static String assertServed(String address, WireClientOptions options, String text) {
    WireClient client = Wire.connect(address, options).block(TIMEOUT);
    try {
      client
          .request(TestService.echo(text))
          .map(reply -> reply.get("text").textValue())
          .as(StepVerifier::create)
          .expectNext(text)
          .expectComplete()
          .verify(TIMEOUT);
      return client.transport();
    } finally {
      client.dispose();
    }
  }
}
