package io.zproc.rsocket;

import static io.rsocket.frame.FrameLengthCodec.FRAME_LENGTH_MASK;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.rsocket.Closeable;
import io.rsocket.DuplexConnection;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketServer;
import io.rsocket.exceptions.RejectedSetupException;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.ServerTransport.ConnectionAcceptor;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.transport.netty.RSocketLengthCodec;
import io.rsocket.transport.netty.TcpDuplexConnection;
import io.rsocket.transport.netty.WebsocketDuplexConnection;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.ConnectionGuard;
import io.zproc.rsocket.internal.DirectRegistry;
import io.zproc.rsocket.internal.LogLimiter;
import io.zproc.rsocket.internal.PrivateDir;
import io.zproc.rsocket.internal.ServerHandler;
import io.zproc.rsocket.internal.Setup;
import io.zproc.rsocket.lane.LaneServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * A bound server: accepts connections on one address and serves them with a {@link WireService}.
 *
 * <p>A {@code tcp://} server also listens, by default, on a unix-domain socket in the temporary
 * directory ({@code zproc-tcp-<port>.sock}, owner-only) that clients on the same host use instead
 * of TCP, and every server registers itself for the in-JVM direct path. The secret key is checked
 * on every path.
 *
 * <p><b>Threading:</b> thread-safe. {@link #dispose()} is idempotent.
 */
public final class WireServer implements Disposable {
  private static final Logger log = LoggerFactory.getLogger(WireServer.class);
  private final LogLimiter keyRefusals = new LogLimiter(10_000_000_000L);
  private final LogLimiter connectionRefusals = new LogLimiter(10_000_000_000L);

  /** Payloads above this are fragmented; below it they go in one frame. */
  static final int MTU = 1024 * 1024;

  private static final AtomicLong CONNECTION_IDS = new AtomicLong();

  /**
   * The longest keep-alive lifetime a client may ask for: a peer that vanishes is dropped, and its
   * watches and atomic lock freed, within it.
   */
  static final Duration MAX_KEEPALIVE_LIFETIME = Duration.ofMinutes(5);

  /** How long a new connection may take to send its setup frame. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);

  private volatile WireAddress address;
  private final WireServerOptions options;
  private final WireService service;
  private final List<Disposable> bindings = new CopyOnWriteArrayList<>();
  private final List<Runnable> directSessions = new CopyOnWriteArrayList<>();

  /** The open socket connections; closing a listener does not close them. */
  private final Set<RSocket> connections = ConcurrentHashMap.newKeySet();

  /** The sessions of open RSocket connections, by connection id, for lanes to join. */
  private final Map<Long, Joined> joinable = new ConcurrentHashMap<>();

  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Sinks.Empty<Void> onClose = Sinks.empty();
  private volatile @Nullable Path localSocket;
  private volatile @Nullable Path laneSocket;
  private volatile @Nullable LoopResources laneLoop;

  private WireServer(WireAddress address, WireServerOptions options, WireService service) {
    this.address = address;
    this.options = options;
    this.service = service;
  }

  /**
   * Binds a server. Lazy: each subscription binds a new server.
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
    return Mono.fromCallable(() -> new Prepared(parsed, options))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(prepared -> prepared.bind(service));
  }

  /** The bound address: for {@code tcp://} and {@code ws://} with the real port. */
  public WireAddress address() {
    return address;
  }

  /** The unix-domain socket beside a {@code tcp://} server, or null. */
  public @Nullable Path localSocket() {
    return localSocket;
  }

  /** The lane socket beside a {@code tcp://} server (the same-host fast path), or null. */
  public @Nullable Path laneSocket() {
    return laneSocket;
  }

  /** The options this server was bound with. */
  public WireServerOptions options() {
    return options;
  }

  /** Connections refused at setup so far: a wrong key, past the limit, malformed, too long. */
  public long rejectedSetups() {
    return rejectedSetups.sum();
  }

  private final LongAdder rejectedSetups = new LongAdder();

  /** The connections open now: sockets (tcp, unix, ws, local) and in-JVM (direct) sessions. */
  public int connectionCount() {
    return connections.size() + directSessions.size();
  }

  /** Completes when the server has closed. */
  public Mono<Void> onClose() {
    return onClose.asMono();
  }

  @Override
  public boolean isDisposed() {
    return disposed.get();
  }

  /** Stops listening, closes every connection and removes the local socket file. */
  @Override
  public void dispose() {
    if (!disposed.compareAndSet(false, true)) {
      return;
    }
    DirectRegistry.unregister(address, this);
    for (Runnable session : directSessions) {
      session.run();
    }
    directSessions.clear();
    for (Joined joined : joinable.values()) {
      joined.closeLanes();
    }
    List<Mono<Void>> closes = new ArrayList<>();
    for (RSocket connection : connections) {
      connection.dispose();
      closes.add(connection.onClose());
    }
    for (Disposable binding : bindings) {
      binding.dispose();
      if (binding instanceof Closeable) {
        closes.add(((Closeable) binding).onClose());
      } else if (binding instanceof DisposableServer) {
        closes.add(((DisposableServer) binding).onDispose());
      }
    }
    Path socket = localSocket;
    Path lane = laneSocket;
    LoopResources loop = laneLoop;
    Mono.when(closes)
        .onErrorResume(e -> Mono.empty())
        .then(
            loop == null
                ? Mono.empty()
                : loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5))
                    .onErrorResume(e -> Mono.empty()))
        .then(
            Mono.fromRunnable(
                    () -> {
                      for (Path file : new Path[] {socket, lane}) {
                        if (file != null) {
                          try {
                            Files.deleteIfExists(file);
                          } catch (IOException e) {
                            log.debug("could not delete {}", file, e);
                          }
                        }
                      }
                    })
                .subscribeOn(Schedulers.boundedElastic()))
        .subscribe(null, e -> onClose.tryEmitEmpty(), onClose::tryEmitEmpty);
  }

  /**
   * Opens a session for an in-JVM client, after the same key check as a socket connection.
   *
   * @throws WireException {@link WireException#UNAUTHORIZED} for a wrong key, {@link
   *     WireException#CONNECTION_CLOSED} if the server is closed
   */
  WireSession openDirect(Setup setup, Runnable onServerClose) {
    return openSession(setup, "direct", onServerClose);
  }

  /**
   * Opens a session that is not an RSocket connection (direct or lane) after the key check; the
   * session's {@code closed()} and {@code onServerClose} run once, when either side closes.
   */
  private WireSession openSession(Setup setup, String transport, Runnable onServerClose) {
    if (disposed.get()) {
      throw new WireException(WireException.CONNECTION_CLOSED, "the server is closed");
    }
    checkKey(setup, transport);
    WireSession session =
        service.open(new WireConnection(CONNECTION_IDS.incrementAndGet(), transport, setup.name()));
    Runnable closer =
        new Runnable() {
          private final AtomicBoolean done = new AtomicBoolean();

          @Override
          public void run() {
            if (done.compareAndSet(false, true)) {
              directSessions.remove(this);
              session.closed();
              onServerClose.run();
            }
          }
        };
    directSessions.add(closer);
    return new WireSession() {
      @Override
      public Mono<com.fasterxml.jackson.databind.JsonNode> request(WireRequest request) {
        return session.request(request);
      }

      @Override
      public reactor.core.publisher.Flux<com.fasterxml.jackson.databind.JsonNode> stream(
          WireRequest request) {
        return session.stream(request);
      }

      @Override
      public void closed() {
        closer.run();
      }
    };
  }

  private SocketAcceptor acceptor(String transport, int expectedPort) {
    SocketAcceptor accept = accept(transport, expectedPort);
    // rsocket-core releases the setup frame only when the returned Mono terminates: whatever
    // happens in the acceptor (even an Error), it must return a Mono, never throw.
    return (setupPayload, sendingSocket) -> {
      try {
        return accept
            .accept(setupPayload, sendingSocket)
            .doOnError(RejectedSetupException.class, e -> rejectedSetups.increment());
      } catch (Throwable e) {
        rejectedSetups.increment();
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
        checkKey(setup, transport);
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
              address,
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
      long id = CONNECTION_IDS.incrementAndGet();
      try {
        session = service.open(new WireConnection(id, transport, setup.name()));
      } catch (RuntimeException e) {
        return Mono.error(new RejectedSetupException(e.getMessage()));
      }
      Joined joined = new Joined(session);
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
      if (disposed.get()) {
        // dispose() ran while this connection was being accepted and may not have seen it.
        sendingSocket.dispose();
      }
      return Mono.just(new ServerHandler(session, options.maxFrameSize(), id));
    };
  }

  private RSocketServer rsocketServer(String transport, int expectedPort) {
    return RSocketServer.create(acceptor(transport, expectedPort))
        .payloadDecoder(PayloadDecoder.ZERO_COPY)
        .fragment(MTU)
        // a connection that sends no setup is closed after this, not held for rsocket's minute
        .maxTimeToFirstFrame(SETUP_TIMEOUT)
        .maxInboundPayloadSize(
            Math.max(options.maxFrameSize() + 64 * 1024, FrameLengthCodec.FRAME_LENGTH_MASK));
  }

  /**
   * Binds RSocket over a TCP or unix-domain socket as rsocket-java's {@code TcpServerTransport}
   * does, with each connection's pending output bounded by {@link ConnectionGuard}.
   */
  private Mono<DisposableServer> bindTcp(TcpServer tcp, String transport, int expectedPort) {
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

  /** Everything that needs blocking I/O before binding: TLS material, stale socket files. */
  private static final class Prepared {
    final WireAddress address;
    final WireServerOptions options;
    final @Nullable SslContext ssl;

    Prepared(WireAddress address, WireServerOptions options) throws Exception {
      this.address = address;
      this.options = options;
      this.ssl = options.tlsKeyStore() == null ? null : sslContext(options);
      if (address.scheme().equals("unix")) {
        requireEpoll(address.toString());
        clearStaleSocket(Path.of(address.path()));
      }
    }

    Mono<WireServer> bind(WireService service) {
      switch (address.scheme()) {
        case "local":
          {
            WireServer server = new WireServer(address, options, service);
            return server
                .rsocketServer("local", -1)
                .bind(LocalServerTransport.create(address.path()))
                .onErrorMap(WireServer::bindFailure)
                .map(closeable -> server.started(closeable, address));
          }
        case "unix":
          {
            WireServer server = new WireServer(address, options, service);
            TcpServer tcp =
                TcpServer.create().bindAddress(() -> new DomainSocketAddress(address.path()));
            return server
                .bindTcp(tcp, "unix", -1)
                .onErrorMap(WireServer::bindFailure)
                .map(
                    channel -> {
                      server.localSocket = Path.of(address.path());
                      return server.started(channel, address);
                    });
          }
        case "tcp":
          {
            WireServer server = new WireServer(address, options, service);
            TcpServer tcp = TcpServer.create().host(address.host()).port(address.port());
            if (ssl != null) {
              SslContext context = ssl;
              tcp = tcp.secure(spec -> spec.sslContext(context));
            }
            return server
                .bindTcp(tcp, "tcp", -1)
                .onErrorMap(WireServer::bindFailure)
                .flatMap(
                    channel -> {
                      server.started(channel, address.withPort(channel.port()));
                      int port = channel.port();
                      return options.localSocket() && Epoll.isAvailable()
                          ? server.bindLocalSocket(port).flatMap(s -> s.bindLane(port))
                          : Mono.just(server);
                    });
          }
        case "ws":
          {
            WireServer server = new WireServer(address, options, service);
            HttpServer http = HttpServer.create().host(address.host()).port(address.port());
            if (ssl != null) {
              SslContext context = ssl;
              http = http.secure(spec -> spec.sslContext(context));
            }
            String path = address.path();
            ConnectionAcceptor rsocket =
                server.rsocketServer("ws", -1).asConnectionAcceptor(FRAME_LENGTH_MASK);
            long limit = options.limits().maxPendingBytesPerConnection();
            Set<String> allowed = options.allowedOrigins();
            return http.route(
                    routes ->
                        routes.ws(
                            path,
                            (in, out) -> {
                              // A page in a browser always says where it comes from; only pages
                              // of the allowed origins reach the server (other clients send none).
                              String origin = in.headers().get("Origin");
                              if (origin != null
                                  && !allowed.contains(origin)
                                  && !ownOrigin(origin, server.address.port())) {
                                log.warn(
                                    "refused a ws connection to {} from a page of {} (not in"
                                        + " ServerOptions.allowedOrigins)",
                                    address,
                                    origin);
                                return out.sendClose(1008, "origin not allowed: " + origin);
                              }
                              Connection connection = (Connection) in;
                              DuplexConnection guarded =
                                  ConnectionGuard.install(
                                      new WebsocketDuplexConnection("server", connection),
                                      connection,
                                      limit,
                                      0);
                              return rsocket.apply(guarded).then(out.neverComplete());
                            }))
                .bind()
                .onErrorMap(WireServer::bindFailure)
                .map(disposable -> server.started(disposable, address.withPort(disposable.port())));
          }
        default:
          return Mono.error(new IllegalArgumentException("unknown scheme " + address.scheme()));
      }
    }
  }

  /**
   * Whether an {@code Origin} names this server itself ({@code http(s)://host:<its port>}): what a
   * non-browser WebSocket client such as Netty's sends. No page can come from there, since this
   * server serves none.
   */
  static boolean ownOrigin(String origin, int port) {
    try {
      URI uri = URI.create(origin);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getPort() == port;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private WireServer started(Disposable binding, WireAddress bound) {
    bindings.add(binding);
    address = bound;
    DirectRegistry.register(bound, this);
    return this;
  }

  /**
   * Binds the owner-only unix socket beside a tcp server, in the user's private directory ({@link
   * PrivateDir}); the server works without it.
   */
  private Mono<WireServer> bindLocalSocket(int tcpPort) {
    AtomicReference<Path> at = new AtomicReference<>();
    TcpServer unix =
        TcpServer.create().bindAddress(() -> new DomainSocketAddress(at.get().toString()));
    return Mono.fromCallable(() -> at.getAndSet(privateSocket(PrivateDir.localSocket(tcpPort))))
        .subscribeOn(Schedulers.boundedElastic())
        .then(Mono.defer(() -> bindTcp(unix, "unix", tcpPort)))
        .publishOn(Schedulers.boundedElastic())
        .map(
            channel -> {
              if (disposed.get()) {
                channel.dispose();
                return this;
              }
              ownerOnly(at.get());
              bindings.add(channel);
              localSocket = at.get();
              return this;
            })
        .onErrorResume(
            e -> {
              log.warn(
                  "no local socket beside {} (same-host clients use tcp; if another process"
                      + " holds {}, find out whose it is): {}",
                  address,
                  at.get(),
                  e.toString());
              return Mono.just(this);
            });
  }

  /**
   * A socket path in the private directory, cleared of a stale socket of this user's.
   *
   * @throws IOException when there is no private directory, or a server listens there
   */
  private static Path privateSocket(@Nullable Path path) throws IOException {
    if (path == null) {
      throw new IOException("this user has no private directory for it (see the warning above)");
    }
    clearStaleSocket(path);
    return path;
  }

  /**
   * Binds the owner-only lane socket beside a tcp server (the same-host fast path for
   * request-response, see {@link LaneServer}); the server works without it.
   */
  private Mono<WireServer> bindLane(int tcpPort) {
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
            checkKey(setup, "lane");
          } catch (WireException e) {
            rejectedSetups.increment();
            throw e;
          }
          Joined joined = setup.join() < 0 ? null : joinable.get(setup.join());
          if (joined == null || disposed.get()) {
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
    laneLoop = loop;
    TcpServer lane = server.tcpServer(() -> new DomainSocketAddress(at.get().toString()));
    return Mono.fromCallable(() -> at.getAndSet(privateSocket(PrivateDir.lane(tcpPort))))
        .subscribeOn(Schedulers.boundedElastic())
        .then(Mono.defer(lane::bind))
        .publishOn(Schedulers.boundedElastic())
        .map(
            bound -> {
              if (disposed.get()) {
                bound.dispose();
                loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).subscribe(null, e -> {});
                return this;
              }
              ownerOnly(at.get());
              bindings.add(bound);
              laneSocket = at.get();
              return this;
            })
        .onErrorResume(
            e -> {
              log.warn(
                  "no lane socket beside {} (same-host clients go without it): {}",
                  address,
                  e.toString());
              return Mono.just(this);
            });
  }

  /** An RSocket connection's session, shared with the lanes that joined it. */
  private static final class Joined {
    private final WireSession session;
    private final Set<Runnable> lanes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Joined(WireSession session) {
      this.session = session;
    }

    /** A lane's view of the session: closing the lane does not close the session. */
    WireSession lane(Runnable close) {
      lanes.add(close);
      if (closed) {
        lanes.remove(close);
        throw new WireException(WireException.CONNECTION_CLOSED, "the connection has closed");
      }
      return new WireSession() {
        @Override
        public Mono<com.fasterxml.jackson.databind.JsonNode> request(WireRequest request) {
          if (closed) {
            return Mono.error(
                new WireException(WireException.CONNECTION_CLOSED, "the connection has closed"));
          }
          return session.request(request);
        }

        @Override
        public void closed() {
          lanes.remove(close);
        }
      };
    }

    void closeLanes() {
      closed = true;
      for (Runnable lane : lanes) {
        lane.run();
      }
      lanes.clear();
    }
  }

  private static Throwable bindFailure(Throwable e) {
    return new WireException(WireException.CONNECTION_CLOSED, "cannot bind: " + e.getMessage(), e);
  }

  private static void requireEpoll(String address) {
    if (!Epoll.isAvailable()) {
      throw new IllegalArgumentException(
          "cannot use "
              + address
              + ": unix-domain sockets need Netty's epoll transport (Linux); use a tcp:// address");
    }
  }

  /** Removes a socket file that no live server listens on; fails if one does. */
  static void clearStaleSocket(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      throw new IOException("a server is already listening on unix://" + path);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("a server is already")) {
        throw e;
      }
      Files.deleteIfExists(path);
    }
  }

  private static SslContext sslContext(WireServerOptions options) throws Exception {
    Path file = Objects.requireNonNull(options.tlsKeyStore());
    char[] password = Objects.requireNonNull(options.tlsKeyStorePassword()).toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, password);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return SslContextBuilder.forServer(kmf).build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot use the TLS key store "
              + file
              + ": "
              + e
              + "; give a readable PKCS#12 file with the server's key and certificate, and its"
              + " password",
          e);
    }
  }

  static void ownerOnly(Path path) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("could not restrict {}", path, e);
    }
  }

  @Override
  public String toString() {
    return "WireServer[" + address + "]";
  }

  /**
   * Checks a connection's key; a refusal is logged at warn, at most once every 10 s with the number
   * of refusals since (a client cannot flood the log by failing over and over).
   */
  private void checkKey(Setup setup, String transport) {
    try {
      setup.checkKey(options.secretKey());
    } catch (WireException e) {
      long refused = keyRefusals.tryAcquire(System.nanoTime());
      if (refused > 0) {
        log.warn(
            "refused a {} connection to {} (client '{}'): {} ({} refusal(s) since the last one"
                + " logged)",
            transport,
            address,
            setup.name(),
            e.getMessage(),
            refused);
      }
      throw e;
    }
  }
}
