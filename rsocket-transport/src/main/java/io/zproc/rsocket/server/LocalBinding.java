package io.zproc.rsocket.server;

import io.rsocket.transport.local.LocalServerTransport;
import io.zproc.rsocket.WireAddress;
import reactor.core.publisher.Mono;

/** A server on an in-JVM {@code local:} address: rsocket-java's local transport. */
final class LocalBinding implements Binding {
  private final WireAddress address;
  private final SocketConnections connections;

  LocalBinding(WireAddress address, SocketConnections connections) {
    this.address = address;
    this.connections = connections;
  }

  @Override
  public Mono<WireAddress> bind(Listeners listeners) {
    return connections
        .rsocketServer("local", -1)
        .bind(LocalServerTransport.create(address.path()))
        .map(
            closeable -> {
              listeners.add(closeable);
              return address;
            });
  }
}
