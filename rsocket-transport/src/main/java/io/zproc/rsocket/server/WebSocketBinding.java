package io.zproc.rsocket.server;

import static io.rsocket.frame.FrameLengthCodec.FRAME_LENGTH_MASK;

import io.netty.handler.ssl.SslContext;
import io.rsocket.DuplexConnection;
import io.rsocket.transport.ServerTransport.ConnectionAcceptor;
import io.rsocket.transport.netty.WebsocketDuplexConnection;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.internal.ConnectionGuard;
import java.net.URI;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServer;

/**
 * A server on a {@code ws://} address (over TLS when its options name a key store): RSocket over
 * WebSocket on the address's path, each connection's pending output bounded by {@link
 * ConnectionGuard}. A page in a browser reaches it only from {@link
 * WireServerOptions#allowedOrigins()}.
 */
final class WebSocketBinding implements Binding {
  private static final Logger log = LoggerFactory.getLogger(WebSocketBinding.class);

  private final WireAddress address;
  private final WireServerOptions options;
  private final @Nullable SslContext ssl;
  private final SocketConnections connections;
  private final Supplier<WireAddress> bound;

  /**
   * @param bound the server's address as bound now: its port is the one of the server's own origin
   */
  WebSocketBinding(
      WireAddress address,
      WireServerOptions options,
      @Nullable SslContext ssl,
      SocketConnections connections,
      Supplier<WireAddress> bound) {
    this.address = address;
    this.options = options;
    this.ssl = ssl;
    this.connections = connections;
    this.bound = bound;
  }

  @Override
  public Mono<WireAddress> bind(Listeners listeners) {
    HttpServer http = HttpServer.create().host(address.host()).port(address.port());
    if (ssl != null) {
      SslContext context = ssl;
      http = http.secure(spec -> spec.sslContext(context));
    }
    String path = address.path();
    ConnectionAcceptor rsocket =
        connections.rsocketServer("ws", -1).asConnectionAcceptor(FRAME_LENGTH_MASK);
    long limit = options.limits().maxPendingBytesPerConnection();
    Set<String> allowed = options.allowedOrigins();
    return http.route(
            routes ->
                routes.ws(
                    path,
                    (in, out) -> {
                      // A page in a browser always says where it comes from; only pages
                      // of the allowed origins reach the server (other clients send none).
                      String origin = in.headers().get("Origin");
                      if (origin != null
                          && !allowed.contains(origin)
                          && !ownOrigin(origin, bound.get().port())) {
                        log.warn(
                            "refused a ws connection to {} from a page of {} (not in"
                                + " ServerOptions.allowedOrigins)",
                            address,
                            origin);
                        return out.sendClose(1008, "origin not allowed: " + origin);
                      }
                      Connection connection = (Connection) in;
                      DuplexConnection guarded =
                          ConnectionGuard.install(
                              new WebsocketDuplexConnection("server", connection),
                              connection,
                              limit,
                              0);
                      return rsocket.apply(guarded).then(out.neverComplete());
                    }))
        .bind()
        .map(
            disposable -> {
              listeners.add(disposable);
              return address.withPort(disposable.port());
            });
  }

  /**
   * Whether an {@code Origin} names this server itself ({@code http(s)://host:<its port>}): what a
   * non-browser WebSocket client such as Netty's sends. No page can come from there, since this
   * server serves none.
   */
  static boolean ownOrigin(String origin, int port) {
    try {
      URI uri = URI.create(origin);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getPort() == port;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
