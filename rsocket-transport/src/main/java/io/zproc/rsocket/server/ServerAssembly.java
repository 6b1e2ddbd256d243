package io.zproc.rsocket.server;

import io.netty.handler.ssl.SslContext;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireServer;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.WireService;
import io.zproc.rsocket.internal.DirectEndpoint;
import io.zproc.rsocket.internal.DirectRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * What a {@link WireServer} is made of: the admission check, the socket connections, the in-JVM
 * direct sessions, the listeners and the binding for the address's scheme. {@code WireServer} is
 * the API over it.
 *
 * <p><b>Threading:</b> thread-safe; {@link #close()} is called once.
 */
public final class ServerAssembly {
  private volatile WireAddress address;
  private final WireServerOptions options;
  private final Admission admission;
  private final SocketConnections connections;
  private final DirectSessions direct;
  private final Listeners listeners = new Listeners();
  private final Binding binding;

  private ServerAssembly(WireAddress address, WireServerOptions options, WireService service) {
    this.address = address;
    this.options = options;
    this.admission = new Admission(options.secretKey(), this::address);
    this.connections = new SocketConnections(options, service, admission, this::address);
    this.direct = new DirectSessions(options.maxFrameSize(), service, admission);
    this.binding = binding(address, Tls.serverContext(options));
  }

  /**
   * Assembles a server and does the blocking work its binding needs first (TLS material, stale
   * socket files): call where blocking is allowed.
   *
   * @param address where it will listen
   * @param options its options
   * @param service what serves its connections
   * @return the parts, not listening yet
   * @throws IOException if the address cannot be bound (another server listens there)
   */
  public static ServerAssembly prepare(
      WireAddress address, WireServerOptions options, WireService service) throws IOException {
    ServerAssembly assembly = new ServerAssembly(address, options, service);
    assembly.binding.prepare();
    return assembly;
  }

  private Binding binding(WireAddress address, @Nullable SslContext ssl) {
    switch (address.scheme()) {
      case "local":
        return new LocalBinding(address, connections);
      case "unix":
        return new UnixBinding(address, connections);
      case "tcp":
        return new TcpBinding(address, options, ssl, connections, admission);
      case "ws":
        return new WebSocketBinding(address, options, ssl, connections, this::address);
      default:
        throw new IllegalArgumentException("unknown scheme " + address.scheme());
    }
  }

  /**
   * Binds, then registers the server for the direct path.
   *
   * @return completes once listening; errors with {@link WireException#CONNECTION_CLOSED} if the
   *     address cannot be bound
   */
  public Mono<Void> listen() {
    return binding
        .bind(listeners)
        .onErrorMap(
            e ->
                new WireException(
                    WireException.CONNECTION_CLOSED, "cannot bind: " + e.getMessage(), e))
        .doOnNext(
            bound -> {
              address = bound;
              DirectRegistry.register(bound, direct);
            })
        .then();
  }

  /** The address: once bound, for {@code tcp://} and {@code ws://} with the real port. */
  public WireAddress address() {
    return address;
  }

  /** The unix-domain socket beside a {@code tcp://} server, or null. */
  public @Nullable Path localSocket() {
    return listeners.localSocket();
  }

  /** The lane socket beside a {@code tcp://} server, or null. */
  public @Nullable Path laneSocket() {
    return listeners.laneSocket();
  }

  /** Connections refused at setup so far. */
  public long rejectedSetups() {
    return admission.rejectedSetups();
  }

  /** The connections open now: sockets and in-JVM (direct) sessions. */
  public int connectionCount() {
    return connections.count() + direct.count();
  }

  /**
   * Closes the direct sessions, every connection and the listeners (removing socket files).
   *
   * @return completes when the listeners have closed; errors if one failed to
   */
  public Mono<Void> close() {
    direct.close();
    DirectRegistry.unregister(address, direct);
    List<Mono<Void>> closes = new ArrayList<>();
    connections.close(closes);
    return listeners.close(closes);
  }

  /** What the direct path finds for this server in {@link DirectRegistry}. */
  public DirectEndpoint direct() {
    return direct;
  }
}
