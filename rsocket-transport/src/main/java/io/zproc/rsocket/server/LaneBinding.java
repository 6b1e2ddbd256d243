package io.zproc.rsocket.server;

import io.netty.channel.unix.DomainSocketAddress;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.internal.SocketFiles;
import io.zproc.rsocket.lane.LaneServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The lane server beside a tcp server: an owner-only unix socket in the user's private directory
 * ({@link SocketFiles#lane}), the same-host fast path for request-response (see {@link
 * LaneServer}). A lane joins an open RSocket connection of the server and serves that connection's
 * session.
 */
final class LaneBinding {
  private static final Logger log = LoggerFactory.getLogger(LaneBinding.class);

  private final WireServerOptions options;
  private final Admission admission;
  private final SocketConnections connections;

  LaneBinding(WireServerOptions options, Admission admission, SocketConnections connections) {
    this.options = options;
    this.admission = admission;
    this.connections = connections;
  }

  /**
   * Binds the owner-only lane socket beside a tcp server; the server works without it.
   *
   * @param tcp the tcp server's bound address
   * @return completes when bound, or when it could not be (a warning says why); never errors
   */
  Mono<Void> besideTcp(WireAddress tcp, Listeners listeners) {
    int tcpPort = tcp.port();
    AtomicReference<Path> at = new AtomicReference<>();
    int maxFrame = options.maxFrameSize();
    LaneServer.Opener opener =
        (setup, close) -> {
          if (setup.port() != tcpPort) {
            throw new WireException(
                WireException.UNAUTHORIZED,
                "this socket belongs to the server on tcp port "
                    + tcpPort
                    + ", not "
                    + setup.port());
          }
          try {
            admission.checkKey(setup, "lane");
          } catch (WireException e) {
            admission.rejected();
            throw e;
          }
          JoinedSession joined = setup.join() < 0 ? null : connections.joinable(setup.join());
          if (joined == null || connections.isClosed()) {
            throw new WireException(
                WireException.CONNECTION_CLOSED,
                "a lane must join an open connection of this server; connection "
                    + setup.join()
                    + " is not open");
          }
          return joined.lane(close);
        };
    LaneServer server = LaneServer.create(opener, maxFrame, options.laneSpin());
    LoopResources loop = server.loop();
    listeners.laneLoop(loop);
    TcpServer lane = server.tcpServer(() -> new DomainSocketAddress(claimed(at).toString()));
    return Mono.fromCallable(() -> at.getAndSet(SocketFiles.claim(SocketFiles.lane(tcpPort))))
        .subscribeOn(Schedulers.boundedElastic())
        .then(Mono.defer(lane::bind))
        .publishOn(Schedulers.boundedElastic())
        .doOnNext(
            bound -> {
              if (listeners.isClosed()) {
                bound.dispose();
                loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).subscribe(null, e -> {});
                return;
              }
              SocketFiles.ownerOnly(claimed(at));
              listeners.add(bound);
              listeners.laneSocket(claimed(at));
            })
        .then()
        .onErrorResume(
            e -> {
              log.warn(
                  "no lane socket beside {} (same-host clients go without it): {}",
                  tcp,
                  e.toString());
              return Mono.empty();
            });
  }

  /** The socket file claimed before the bind: set before the server asks for its address. */
  private static Path claimed(AtomicReference<Path> at) {
    return Objects.requireNonNull(at.get(), "the socket file is claimed before the bind");
  }
}
