package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.tcp.TcpResources;

/**
 * One connection to a {@link WireServer}, multiplexing any number of concurrent requests and
 * streams. {@code io.zproc.rsocket.connect.Wire.connect} opens one.
 *
 * <p>The connection takes the shortest path to the server: directly, without a socket, when the
 * server is in this JVM; through the server's unix-domain socket when it is on this host; else the
 * address's own transport.
 *
 * <p><b>Threading:</b> thread-safe. Results are delivered on transport threads (or, on the direct
 * path, on the subscribing thread). <b>Errors:</b> {@link WireException} with the server's code, or
 * {@link WireException#CONNECTION_CLOSED} when the connection is gone.
 */
public interface WireClient extends Disposable {

  /**
   * Shuts down the event loops that socket connections share in this JVM (reactor-netty's global
   * TCP and HTTP resources), closing every connection still open on them, and waits until their
   * threads have ended or {@code timeout} has passed. For a JVM about to exit: a thread waiting in
   * {@code epoll_wait} is in native code, and the JVM's exit waits up to 300 ms for such threads.
   * Connections opened afterwards get new event loops.
   *
   * <p><b>Threading:</b> blocks the caller; never call it on an event loop thread. <b>Errors:</b> a
   * failed shutdown is ignored.
   *
   * @param timeout how long to wait at most
   * @throws IllegalStateException if the loops have not ended within {@code timeout} (plus 100 ms)
   */
  static void shutdownEventLoops(Duration timeout) {
    Mono.when(
            TcpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, timeout),
            HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, timeout))
        .onErrorResume(e -> Mono.empty())
        .block(timeout.plusMillis(100));
  }

  /**
   * Sends one request.
   *
   * <p>On every path, a request that encodes to more than {@link #serverMaxFrameSize()} bytes fails
   * with {@link WireException#LIMIT_EXCEEDED} without being sent, and one that cannot be encoded
   * (an {@code "op"} entry in its arguments; on socket paths also a string with an unpaired
   * surrogate) fails with {@link WireException#INVALID_ARGUMENT}.
   *
   * @return emits the result tree, completes empty for "no result", errors with {@link
   *     WireException}
   */
  Mono<JsonNode> request(WireRequest request);

  /**
   * Opens one stream. Demand is passed to the server, over a socket in batches of at most a few
   * hundred elements whatever the subscriber asks (so a server never queues a whole stream for a
   * subscriber that stopped reading). The request is checked as by {@link #request}.
   *
   * @return the server's elements; errors with {@link WireException}
   */
  Flux<JsonNode> stream(WireRequest request);

  /** How this connection reaches the server: {@code direct}, {@code local}, {@code unix}, ... */
  String transport();

  /** The address this connection was asked for. */
  WireAddress address();

  /** The server's frame limit in bytes, as it said when this connection was made. */
  int serverMaxFrameSize();

  /** Completes when the connection has closed, whichever side closed it. */
  Mono<Void> onClose();
}
