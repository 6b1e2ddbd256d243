package io.zproc.rsocket.server;

import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireServer;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.WireService;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link WireServer} that {@code Wire.bind} makes: accepts connections on one address and
 * serves them with a {@link WireService}, through its {@link ServerAssembly}.
 *
 * <p>A {@code tcp://} server also listens, by default, on a unix-domain socket and a lane socket in
 * the user's private directory ({@code tcp-<port>.sock} and {@code tcp-<port>.lane}, owner-only;
 * see {@code SocketFiles}) that clients on the same host use instead of TCP, and every server
 * registers itself for the in-JVM direct path. The secret key is checked on every path.
 *
 * <p><b>Threading:</b> thread-safe. {@link #dispose()} is idempotent.
 */
public final class BoundServer implements WireServer {
  private final WireServerOptions options;
  private final ServerAssembly assembly;
  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Sinks.Empty<Void> onClose = Sinks.empty();

  private BoundServer(WireServerOptions options, ServerAssembly assembly) {
    this.options = options;
    this.assembly = assembly;
  }

  /**
   * Binds a server ({@code Wire.bind}). Lazy: each subscription binds a new server.
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
    return Mono.fromCallable(() -> ServerAssembly.prepare(parsed, options, service))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(assembly -> assembly.listen().thenReturn(new BoundServer(options, assembly)));
  }

  @Override
  public WireAddress address() {
    return assembly.address();
  }

  @Override
  public @Nullable Path localSocket() {
    return assembly.localSocket();
  }

  @Override
  public @Nullable Path laneSocket() {
    return assembly.laneSocket();
  }

  @Override
  public WireServerOptions options() {
    return options;
  }

  @Override
  public long rejectedSetups() {
    return assembly.rejectedSetups();
  }

  @Override
  public int connectionCount() {
    return assembly.connectionCount();
  }

  @Override
  public Mono<Void> onClose() {
    return onClose.asMono();
  }

  @Override
  public boolean isDisposed() {
    return disposed.get();
  }

  @Override
  public void dispose() {
    if (!disposed.compareAndSet(false, true)) {
      return;
    }
    assembly.close().subscribe(null, e -> onClose.tryEmitEmpty(), onClose::tryEmitEmpty);
  }

  /** What this server is made of (a seam for tests). */
  public ServerAssembly assembly() {
    return assembly;
  }

  @Override
  public String toString() {
    return "WireServer[" + address() + "]";
  }
}
