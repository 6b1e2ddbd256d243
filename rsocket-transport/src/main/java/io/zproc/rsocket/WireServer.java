package io.zproc.rsocket;

import io.netty.handler.ssl.SslContext;
import io.zproc.rsocket.internal.DirectEndpoint;
import io.zproc.rsocket.internal.DirectRegistry;
import io.zproc.rsocket.internal.SocketFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A bound server: accepts connections on one address and serves them with a {@link WireService}.
 *
 * <p>A {@code tcp://} server also listens, by default, on a unix-domain socket and a lane socket in
 * the user's private directory ({@code tcp-<port>.sock} and {@code tcp-<port>.lane}, owner-only;
 * see {@link SocketFiles}) that clients on the same host use instead of TCP, and every server
 * registers itself for the in-JVM direct path. The secret key is checked on every path.
 *
 * <p><b>Threading:</b> thread-safe. {@link #dispose()} is idempotent.
 */
public final class WireServer implements Disposable {

  /** Payloads above this are fragmented; below it they go in one frame. */
  static final int MTU = 1024 * 1024;

  private volatile WireAddress address;
  private final WireServerOptions options;
  private final Admission admission;
  private final SocketConnections connections;
  private final DirectSessions direct;
  private final Listeners listeners = new Listeners();
  private final Binding binding;
  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Sinks.Empty<Void> onClose = Sinks.empty();

  /** Reads the TLS key store, if any: call where blocking is allowed. */
  private WireServer(WireAddress address, WireServerOptions options, WireService service) {
    this.address = address;
    this.options = options;
    this.admission = new Admission(options.secretKey(), this::address);
    this.connections = new SocketConnections(options, service, admission, this::address);
    this.direct = new DirectSessions(options.maxFrameSize(), service, admission);
    this.binding = binding(address, Tls.serverContext(options));
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
    WireAddress parsed = WireAddress.parse(address);
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(service, "service");
    // Everything that needs blocking I/O before binding: TLS material, stale socket files.
    return Mono.fromCallable(
            () -> {
              WireServer server = new WireServer(parsed, options, service);
              server.binding.prepare();
              return server;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(WireServer::listen);
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

  private Mono<WireServer> listen() {
    return binding
        .bind(listeners)
        .onErrorMap(
            e ->
                new WireException(
                    WireException.CONNECTION_CLOSED, "cannot bind: " + e.getMessage(), e))
        .map(
            bound -> {
              address = bound;
              DirectRegistry.register(bound, direct);
              return this;
            });
  }

  /** The bound address: for {@code tcp://} and {@code ws://} with the real port. */
  public WireAddress address() {
    return address;
  }

  /** The unix-domain socket beside a {@code tcp://} server, or null. */
  public @Nullable Path localSocket() {
    return listeners.localSocket();
  }

  /** The lane socket beside a {@code tcp://} server (the same-host fast path), or null. */
  public @Nullable Path laneSocket() {
    return listeners.laneSocket();
  }

  /** The options this server was bound with. */
  public WireServerOptions options() {
    return options;
  }

  /** Connections refused at setup so far: a wrong key, past the limit, malformed, too long. */
  public long rejectedSetups() {
    return admission.rejectedSetups();
  }

  /** The connections open now: sockets (tcp, unix, ws, local) and in-JVM (direct) sessions. */
  public int connectionCount() {
    return connections.count() + direct.count();
  }

  /** Completes when the server has closed. */
  public Mono<Void> onClose() {
    return onClose.asMono();
  }

  @Override
  public boolean isDisposed() {
    return disposed.get();
  }

  /** Stops listening, closes every connection and removes the local socket file. */
  @Override
  public void dispose() {
    if (!disposed.compareAndSet(false, true)) {
      return;
    }
    direct.close();
    DirectRegistry.unregister(address, direct);
    List<Mono<Void>> closes = new ArrayList<>();
    connections.close(closes);
    listeners.close(closes).subscribe(null, e -> onClose.tryEmitEmpty(), onClose::tryEmitEmpty);
  }

  /** What the direct path finds for this server in {@link DirectRegistry}. */
  DirectEndpoint direct() {
    return direct;
  }

  @Override
  public String toString() {
    return "WireServer[" + address + "]";
  }
}
