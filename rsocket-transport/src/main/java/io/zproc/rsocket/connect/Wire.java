package io.zproc.rsocket.connect;

import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireClientOptions;
import io.zproc.rsocket.WireServer;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.WireService;
import io.zproc.rsocket.client.Connector;
import io.zproc.rsocket.server.BoundServer;
import reactor.core.publisher.Mono;

/**
 * The transport's entry: opens a {@link WireClient} and binds a {@link WireServer}. It sits above
 * the API package ({@code io.zproc.rsocket}) and its two implementations ({@code .client}, {@code
 * .server}), so that the API names no implementation and no package of the transport depends back
 * on one that depends on it.
 *
 * <p><b>Threading:</b> both methods return at once; the work happens on subscription.
 */
public final class Wire {
  private Wire() {}

  /**
   * Connects. Lazy: each subscription opens a new connection; the connection is checked with one
   * round trip before it is emitted, so a refused secret key fails here.
   *
   * @throws IllegalArgumentException at once if the address is malformed
   */
  public static Mono<WireClient> connect(String address, WireClientOptions options) {
    return Connector.connect(WireAddress.parse(address), options);
  }

  /**
   * Binds a server. Lazy: each subscription binds a new server.
   *
   * @param address where to listen; see {@link WireAddress#ACCEPTED_FORMS}
   * @return emits the bound server; errors if the address is taken or cannot be bound
   * @throws IllegalArgumentException at once if the address is malformed
   */
  public static Mono<WireServer> bind(
      String address, WireServerOptions options, WireService service) {
    return BoundServer.bind(address, options, service);
  }
}
