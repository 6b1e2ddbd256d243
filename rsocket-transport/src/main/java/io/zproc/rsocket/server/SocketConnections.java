package io.zproc.rsocket.server;

import static io.rsocket.frame.FrameLengthCodec.FRAME_LENGTH_MASK;

import io.rsocket.DuplexConnection;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.ServerTransport.ConnectionAcceptor;
import io.rsocket.transport.netty.RSocketLengthCodec;
import io.rsocket.transport.netty.TcpDuplexConnection;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireConnection;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.WireService;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.ConnectionGuard;
import io.zproc.rsocket.internal.Fragmentation;
import io.zproc.rsocket.internal.LogLimiter;
import io.zproc.rsocket.internal.ServerHandler;
import io.zproc.rsocket.internal.Setup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * A server's RSocket connections, on every scheme: how one is accepted (a well-formed setup, a
 * bounded keep-alive, the right server, the key, the connection limit), the ones open now, and
 * their sessions, which lanes join. The bindings take their {@link RSocketServer} from here.
 */
final class SocketConnections {
  private static final Logger log = LoggerFactory.getLogger(SocketConnections.class);

  /**
   * The longest keep-alive lifetime a client may ask for: a peer that vanishes is dropped, and its
   * watches and atomic lock freed, within it.
   */
  static final Duration MAX_KEEPALIVE_LIFETIME = Duration.ofMinutes(5);

  /** How long a new connection may take to send its setup frame. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);

  private final LogLimiter connectionRefusals = new LogLimiter(10_000_000_000L);

  /** The open socket connections; closing a listener does not close them. */
  private final Set<RSocket> connections = ConcurrentHashMap.newKeySet();

  /** The sessions of open RSocket connections, by connection id, for lanes to join. */
  private final Map<Long, JoinedSession> joinable = new ConcurrentHashMap<>();

  private final WireServerOptions options;
  private final WireService service;
  private final Admission admission;
  private final Supplier<WireAddress> address;
  private volatile boolean closed;

  /**
   * @param address the server's address as bound now, for the log
   */
  SocketConnections(
      WireServerOptions options,
      WireService service,
      Admission admission,
      Supplier<WireAddress> address) {
    this.options = options;
    this.service = service;
    this.admission = admission;
    this.address = address;
  }

  /**
   * The RSocket server of one listener.
   *
   * @param transport the transport's name, for sessions and the log
   * @param expectedPort the tcp port a client must name in its setup (a socket beside a tcp
   *     server), or -1 for any
   */
  RSocketServer rsocketServer(String transport, int expectedPort) {
    return RSocketServer.create(acceptor(transport, expectedPort))
        .payloadDecoder(PayloadDecoder.ZERO_COPY)
        .fragment(Fragmentation.MTU)
        // a connection that sends no setup is closed after this, not held for rsocket's minute
        .maxTimeToFirstFrame(SETUP_TIMEOUT)
        .maxInboundPayloadSize(
            Math.max(options.maxFrameSize() + 64 * 1024, FrameLengthCodec.FRAME_LENGTH_MASK));
  }

  /**
   * Binds RSocket over a TCP or unix-domain socket as rsocket-java's {@code TcpServerTransport}
   * does, with each connection's pending output bounded by {@link ConnectionGuard}.
   */
  Mono<DisposableServer> bindTcp(TcpServer tcp, String transport, int expectedPort) {
    ConnectionAcceptor acceptor =
        rsocketServer(transport, expectedPort).asConnectionAcceptor(FRAME_LENGTH_MASK);
    long limit = options.limits().maxPendingBytesPerConnection();
    return tcp.doOnConnection(
            connection -> {
              connection.addHandlerLast(new RSocketLengthCodec(FRAME_LENGTH_MASK));
              DuplexConnection guarded =
                  ConnectionGuard.install(
                      new TcpDuplexConnection("server", connection),
                      connection,
                      limit,
                      FrameLengthCodec.FRAME_LENGTH_SIZE);
              acceptor
                  .apply(guarded)
                  .then(Mono.<Void>never())
                  .subscribe(connection.disposeSubscriber());
            })
        .bind()
        .map(server -> (DisposableServer) server);
  }

  /** The session of the open connection with this id, for a lane to join, or null. */
  @Nullable JoinedSession joinable(long id) {
    return joinable.get(id);
  }

  /** Whether the server has closed: it accepts no connection and lets no lane join. */
  boolean isClosed() {
    return closed;
  }

  /** The connections open now. */
  int count() {
    return connections.size();
  }

  /** Closes the lanes, then every connection; adds what completes when each has closed. */
  void close(List<Mono<Void>> closes) {
    closed = true;
    for (JoinedSession joined : joinable.values()) {
      joined.closeLanes();
    }
    for (RSocket connection : connections) {
      connection.dispose();
      closes.add(connection.onClose());
    }
  }

  private SocketAcceptor acceptor(String transport, int expectedPort) {
    SocketAcceptor accept = accept(transport, expectedPort);
    // rsocket-core releases the setup frame only when the returned Mono terminates: whatever
    // happens in the acceptor (even an Error), it must return a Mono, never throw.
    return (setupPayload, sendingSocket) -> {
      try {
        return accept
            .accept(setupPayload, sendingSocket)
            .doOnError(RejectedSetupException.class, e -> admission.rejected());
      } catch (Throwable e) {
        admission.rejected();
        return Mono.error(new RejectedSetupException("the server failed to accept: " + e));
      }
    };
  }

  private SocketAcceptor accept(String transport, int expectedPort) {
    return (setupPayload, sendingSocket) -> {
      Setup setup;
      try {
        setup = Setup.decode(setupPayload.data());
      } catch (CodecException e) {
        return Mono.error(new RejectedSetupException("malformed setup: " + e.getMessage()));
      }
      // A peer that vanishes (no FIN, a host gone) is dropped after its keep-alive's lifetime, and
      // what it held with it (watches, the atomic lock): the lifetime it asks for is bounded.
      if (setupPayload.keepAliveMaxLifetime() > MAX_KEEPALIVE_LIFETIME.toMillis()) {
        return Mono.error(
            new RejectedSetupException(
                "a keep-alive max lifetime of "
                    + setupPayload.keepAliveMaxLifetime()
                    + " ms is over this server's limit of "
                    + MAX_KEEPALIVE_LIFETIME.toMillis()
                    + " ms; ask for a shorter one"));
      }
      // Before the key: a client that reached another server's socket falls back to TCP.
      if (setup.port() >= 0 && expectedPort >= 0 && setup.port() != expectedPort) {
        return Mono.error(
            new RejectedSetupException(
                "this socket belongs to the server on tcp port "
                    + expectedPort
                    + ", not "
                    + setup.port()));
      }
      try {
        admission.checkKey(setup, transport);
      } catch (WireException e) {
        return Mono.error(new RejectedSetupException(e.getMessage()));
      }
      int maxConnections = options.limits().maxConnections();
      if (connections.size() >= maxConnections) {
        long refused = connectionRefusals.tryAcquire(System.nanoTime());
        if (refused > 0) {
          log.warn(
              "refused a {} connection to {} (client '{}'): {} connections are open, the limit"
                  + " ({} refusal(s) since the last one logged)",
              transport,
              address.get(),
              setup.name(),
              maxConnections,
              refused);
        }
        return Mono.error(
            new RejectedSetupException(
                "the server has "
                    + maxConnections
                    + " connections open, its limit (maxConnections); close idle connections or"
                    + " raise the limit"));
      }
      WireSession session;
      long id = Admission.nextConnectionId();
      try {
        session = service.open(new WireConnection(id, transport, setup.name()));
      } catch (RuntimeException e) {
        return Mono.error(new RejectedSetupException(e.getMessage()));
      }
      JoinedSession joined = new JoinedSession(session);
      joinable.put(id, joined);
      connections.add(sendingSocket);
      sendingSocket
          .onClose()
          .doFinally(
              s -> {
                connections.remove(sendingSocket);
                joinable.remove(id);
                joined.closeLanes();
                session.closed();
              })
          .subscribe(null, e -> {});
      if (closed) {
        // close() ran while this connection was being accepted and may not have seen it.
        sendingSocket.dispose();
      }
      return Mono.just(new ServerHandler(session, options.maxFrameSize(), id));
    };
  }
}
