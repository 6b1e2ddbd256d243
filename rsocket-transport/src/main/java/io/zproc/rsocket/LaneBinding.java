package io.zproc.rsocket;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.zproc.rsocket.internal.LaneHandler;
import io.zproc.rsocket.internal.LaneSpin;
import io.zproc.rsocket.internal.SocketFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The lane server beside a tcp server: an owner-only unix socket in the user's private directory
 * ({@link SocketFiles#lane}), the same-host fast path for request-response (see {@link
 * LaneHandler}). A lane joins an open RSocket connection of the server and serves that connection's
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
    LaneHandler.Opener opener =
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
    // One event loop for every lane connection: a reply that one connection's request produces
    // for another (an atomic lock handed on) is written at once, without waking another thread.
    // With epoll, the loop polls for a moment after such a hand-off (LaneSpin).
    LaneSpin polling = Epoll.isAvailable() ? new LaneSpin() : null;
    LaneSpin spin = polling != null && polling.enabled() ? polling : null;
    LoopResources loop =
        spin != null ? new LaneLoop(spin) : LoopResources.create("zproc-lane-server", 1, 1, true);
    listeners.laneLoop(loop);
    TcpServer lane =
        TcpServer.create()
            .runOn(loop)
            .bindAddress(() -> new DomainSocketAddress(at.get().toString()))
            .doOnConnection(
                connection ->
                    connection
                        .addHandlerLast("zproc.lane.frames", LaneHandler.frameDecoder(maxFrame))
                        .addHandlerLast("zproc.lane", new LaneHandler(opener, maxFrame, spin)))
            // Subscribing to the inbound keeps reading on; the lane handler consumes every frame.
            .handle((in, out) -> in.receive().then());
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
              SocketFiles.ownerOnly(at.get());
              listeners.add(bound);
              listeners.laneSocket(at.get());
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

  /**
   * The lane server's one epoll event loop, with {@link LaneSpin} as its select strategy (Reactor
   * Netty's own loops take no strategy).
   */
  private static final class LaneLoop implements LoopResources {
    private final EventLoopGroup group;

    LaneLoop(LaneSpin spin) {
      this.group =
          new MultiThreadIoEventLoopGroup(
              1,
              new DefaultThreadFactory("zproc-lane-server", true) {
                @Override
                protected Thread newThread(Runnable r, String name) {
                  return new LaneThread(threadGroup, r, name);
                }
              },
              EpollIoHandler.newFactory(0, () -> spin));
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
      return group;
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
      return Mono.create(
          sink ->
              group
                  .shutdownGracefully(
                      quietPeriod.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
                  .addListener(done -> sink.success()));
    }

    @Override
    public boolean isDisposed() {
      return group.isShutdown();
    }
  }

  /**
   * The lane loop's thread: a Reactor {@link NonBlocking} thread like Reactor Netty's own, so that
   * nothing continued on it (a watcher's or a client's callback in this JVM) ever blocks on it.
   */
  private static final class LaneThread extends FastThreadLocalThread implements NonBlocking {
    LaneThread(ThreadGroup group, Runnable r, String name) {
      super(group, r, name);
    }
  }
}
