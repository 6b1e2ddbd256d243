package io.zproc.rsocket.server;

import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.SslContext;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireServerOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpServer;

/**
 * A server on a {@code tcp://} address, over TLS when its options name a key store. On Linux, and
 * unless {@link WireServerOptions#localSocket()} is off, same-host clients also find the unix
 * socket ({@link UnixBinding#besideTcp}) and the lane ({@link LaneBinding}) beside it.
 */
final class TcpBinding implements Binding {
  private final WireAddress address;
  private final WireServerOptions options;
  private final @Nullable SslContext ssl;
  private final SocketConnections connections;
  private final LaneBinding lane;

  TcpBinding(
      WireAddress address,
      WireServerOptions options,
      @Nullable SslContext ssl,
      SocketConnections connections,
      Admission admission) {
    this.address = address;
    this.options = options;
    this.ssl = ssl;
    this.connections = connections;
    this.lane = new LaneBinding(options, admission, connections);
  }

  @Override
  public Mono<WireAddress> bind(Listeners listeners) {
    TcpServer tcp = TcpServer.create().host(address.host()).port(address.port());
    if (ssl != null) {
      SslContext context = ssl;
      tcp = tcp.secure(spec -> spec.sslContext(context));
    }
    return connections
        .bindTcp(tcp, "tcp", -1)
        .flatMap(
            channel -> {
              listeners.add(channel);
              WireAddress bound = address.withPort(channel.port());
              return options.localSocket() && Epoll.isAvailable()
                  ? UnixBinding.besideTcp(bound, connections, listeners)
                      .then(Mono.defer(() -> lane.besideTcp(bound, listeners)))
                      .thenReturn(bound)
                  : Mono.just(bound);
            });
  }
}
