package io.zproc.rsocket.server;

import io.zproc.rsocket.WireAddress;
import java.io.IOException;
import reactor.core.publisher.Mono;

/**
 * How a server listens on the address of one scheme: {@link LocalBinding}, {@link UnixBinding},
 * {@link TcpBinding} or {@link WebSocketBinding}. Made once per server, used once.
 */
interface Binding {

  /**
   * Blocking work before binding (such as clearing a stale socket file); runs on a bounded-elastic
   * thread. By default none.
   *
   * @throws IOException if the address cannot be bound (another server listens there)
   * @throws IllegalArgumentException if this host cannot serve the address
   */
  default void prepare() throws IOException {}

  /**
   * Binds the listener, and any beside it, and adds them to {@code listeners}.
   *
   * @return emits the address bound (for {@code tcp://} and {@code ws://} with the real port);
   *     errors if the address cannot be bound
   */
  Mono<WireAddress> bind(Listeners listeners);
}
