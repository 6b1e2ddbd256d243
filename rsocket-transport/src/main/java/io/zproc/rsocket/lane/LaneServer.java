package io.zproc.rsocket.lane;

import io.netty.channel.epoll.Epoll;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.internal.Setup;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The server side of the lane: one event loop for every lane connection of a server, and the {@link
 * TcpServer} that accepts them on a unix-domain socket, each served by a {@link LaneHandler}. One
 * loop, so that a reply that one connection's request produces for another (an atomic lock handed
 * on) is written at once, without waking another thread; with epoll, the loop polls for a moment
 * after such a hand-off ({@link LaneSpin}).
 *
 * <p><b>Threading:</b> create and bind on any thread; the owner disposes {@link #loop()} once the
 * bound server is disposed.
 */
public final class LaneServer {

  /** Opens the session once the setup frame has passed the checks, or throws a WireException. */
  @FunctionalInterface
  public interface Opener {
    /**
     * @param setup what the client presented
     * @param close closes the connection (called when the server closes)
     * @return the session serving this connection
     * @throws WireException if the setup is refused; the client gets its code and message
     */
    WireSession open(Setup setup, Runnable close);
  }

  private final Opener opener;
  private final int maxFrameSize;
  private final @Nullable LaneSpin spin;
  private final LoopResources loop;

  private LaneServer(Opener opener, int maxFrameSize, Duration spin) {
    this.opener = opener;
    this.maxFrameSize = maxFrameSize;
    LaneSpin polling = Epoll.isAvailable() ? new LaneSpin(spin.toNanos()) : null;
    this.spin = polling != null && polling.enabled() ? polling : null;
    this.loop =
        this.spin != null
            ? new LaneLoop(this.spin)
            : LoopResources.create("zproc-lane-server", 1, 1, true);
  }

  /**
   * A lane server; it starts its loop's thread when bound.
   *
   * @param opener checks each connection's setup and opens its session
   * @param maxFrameSize the largest request body accepted; a larger frame closes its connection
   * @param spin how long the loop polls after answering a request that had waited; zero for never
   */
  public static LaneServer create(Opener opener, int maxFrameSize, Duration spin) {
    return new LaneServer(opener, maxFrameSize, spin);
  }

  /** The event loop every lane connection runs on; its owner disposes it. */
  public LoopResources loop() {
    return loop;
  }

  /**
   * The server to bind, listening at {@code bindAddress} (a unix-domain socket address).
   *
   * @param bindAddress where to listen, asked for when bound
   */
  public TcpServer tcpServer(Supplier<? extends SocketAddress> bindAddress) {
    return TcpServer.create()
        .runOn(loop)
        .bindAddress(bindAddress)
        .doOnConnection(
            connection ->
                connection
                    .addHandlerLast("zproc.lane.frames", LaneFrameCodec.frameDecoder(maxFrameSize))
                    .addHandlerLast("zproc.lane", new LaneHandler(opener, maxFrameSize, spin)))
        // Subscribing to the inbound keeps reading on; the lane handler consumes every frame.
        .handle((in, out) -> in.receive().then());
  }
}
