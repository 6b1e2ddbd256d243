package io.zproc.rsocket.server;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.tcp.TcpServer;

/**
 * A server on a {@code unix://} address; also the owner-only unix socket beside a tcp server, in
 * the user's private directory ({@link SocketFiles#localSocket}), that clients on the same host use
 * instead of TCP. Unix-domain sockets need Netty's epoll transport (Linux).
 */
final class UnixBinding implements Binding {
  private static final Logger log = LoggerFactory.getLogger(UnixBinding.class);

  private final WireAddress address;
  private final SocketConnections connections;

  UnixBinding(WireAddress address, SocketConnections connections) {
    this.address = address;
    this.connections = connections;
  }

  @Override
  public void prepare() throws IOException {
    requireEpoll(address.toString());
    SocketFiles.clearStale(Path.of(address.path()));
  }

  @Override
  public Mono<WireAddress> bind(Listeners listeners) {
    TcpServer tcp = TcpServer.create().bindAddress(() -> new DomainSocketAddress(address.path()));
    return connections
        .bindTcp(tcp, "unix", -1)
        .map(
            channel -> {
              listeners.localSocket(Path.of(address.path()));
              listeners.add(channel);
              return address;
            });
  }

  /**
   * Binds the owner-only unix socket beside a tcp server, in the user's private directory; the
   * server works without it.
   *
   * @param tcp the tcp server's bound address
   * @return completes when bound, or when it could not be (a warning says why); never errors
   */
  static Mono<Void> besideTcp(WireAddress tcp, SocketConnections connections, Listeners listeners) {
    int tcpPort = tcp.port();
    AtomicReference<Path> at = new AtomicReference<>();
    TcpServer unix =
        TcpServer.create().bindAddress(() -> new DomainSocketAddress(claimed(at).toString()));
    return Mono.fromCallable(
            () -> at.getAndSet(SocketFiles.claim(SocketFiles.localSocket(tcpPort))))
        .subscribeOn(Schedulers.boundedElastic())
        .then(Mono.defer(() -> connections.bindTcp(unix, "unix", tcpPort)))
        .publishOn(Schedulers.boundedElastic())
        .doOnNext(
            channel -> {
              if (listeners.isClosed()) {
                channel.dispose();
                return;
              }
              SocketFiles.ownerOnly(claimed(at));
              listeners.add(channel);
              listeners.localSocket(claimed(at));
            })
        .then()
        .onErrorResume(
            e -> {
              log.warn(
                  "no local socket beside {} (same-host clients use tcp; if another process"
                      + " holds {}, find out whose it is): {}",
                  tcp,
                  at.get(),
                  e.toString());
              return Mono.empty();
            });
  }

  /**
   * @throws IllegalArgumentException without Netty's epoll transport
   */
  private static void requireEpoll(String address) {
    if (!Epoll.isAvailable()) {
      throw new IllegalArgumentException(
          "cannot use "
              + address
              + ": unix-domain sockets need Netty's epoll transport (Linux); use a tcp:// address");
    }
  }

  /** The socket file claimed before the bind: set before the server asks for its address. */
  private static Path claimed(AtomicReference<Path> at) {
    return Objects.requireNonNull(at.get(), "the socket file is claimed before the bind");
  }
}
