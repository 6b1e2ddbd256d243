package io.zproc.rsocket.client;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.rsocket.core.RSocketConnector;
import io.rsocket.frame.FrameLengthCodec;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.netty.RSocketLengthCodec;
import io.rsocket.transport.netty.TcpDuplexConnection;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.client.WebsocketClientTransport;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireClientOptions;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.internal.DirectEndpoint;
import io.zproc.rsocket.internal.DirectRegistry;
import io.zproc.rsocket.internal.Failures;
import io.zproc.rsocket.internal.Fragmentation;
import io.zproc.rsocket.internal.PeerCheck;
import io.zproc.rsocket.internal.Setup;
import io.zproc.rsocket.internal.SocketFiles;
import io.zproc.rsocket.lane.LaneClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.TcpClient;

/**
 * Chooses the shortest path to a server and opens a checked connection on it: what {@link
 * Wire#connect} does.
 */
public final class Connector {
  private static final Logger log = LoggerFactory.getLogger(Connector.class);

  private Connector() {}

  /**
   * Connects, by the shortest path: direct to a server in this JVM, through the unix socket (and
   * the lane) of a {@code tcp://} server on this host, else by the address's own transport.
   *
   * @return lazy: each subscription opens a new connection, checked with one round trip
   */
  public static Mono<WireClient> connect(WireAddress address, WireClientOptions options) {
    return Mono.defer(
        () -> {
          if (options.direct()) {
            DirectEndpoint server = DirectRegistry.find(address);
            if (server != null && !server.isDisposed()) {
              return direct(server, address, options);
            }
          }
          // No same-host shortcut for a TLS client: TLS is what it asked for, end to end.
          if (address.scheme().equals("tcp")
              && options.localSocket()
              && !options.tls()
              && DirectRegistry.isLoopback(address.host())
              && address.port() > 0) {
            // Only a socket in this user's private directory, owned by this user: no other
            // local user can plant one there, to be sent the key.
            return Mono.fromCallable(
                    () ->
                        Optional.ofNullable(
                            Epoll.isAvailable()
                                ? SocketFiles.ownLocalSocket(address.port())
                                : null))
                .subscribeOn(
                    blockingAllowed() ? Schedulers.immediate() : Schedulers.boundedElastic())
                .flatMap(
                    socket ->
                        socket.isPresent()
                            ? rsocket(
                                    sameUserUnix(socket.get()),
                                    "unix",
                                    address,
                                    options,
                                    address.port())
                                .onErrorResume(
                                    Connector::worthTcpFallback,
                                    e -> {
                                      log.debug(
                                          "local socket {} unusable, using tcp", socket.get(), e);
                                      return rsocket(
                                          transport(address, options), "tcp", address, options, -1);
                                    })
                            : rsocket(transport(address, options), "tcp", address, options, -1));
          }
          return rsocket(transport(address, options), address.scheme(), address, options, -1);
        });
  }

  /**
   * Whether the subscribing thread may block on a file check: not a Reactor non-blocking thread nor
   * a Netty one. On other threads (a caller's own, as in {@code block()}) the check runs inline: no
   * thread hop, and no elastic thread started for it.
   */
  private static boolean blockingAllowed() {
    return !Schedulers.isInNonBlockingThread()
        && !(Thread.currentThread() instanceof FastThreadLocalThread);
  }

  private static Mono<WireClient> direct(
      DirectEndpoint server, WireAddress address, WireClientOptions options) {
    return Mono.fromCallable(
        () -> {
          DirectWireClient client = new DirectWireClient(address, server.maxFrameSize());
          client.attach(
              server.openDirect(
                  new Setup(options.secretKey(), options.clientName(), -1), client::serverClosed));
          return client;
        });
  }

  private static Mono<WireClient> rsocket(
      ClientTransport transport,
      String kind,
      WireAddress address,
      WireClientOptions options,
      int expectedPort) {
    Setup setup = new Setup(options.secretKey(), options.clientName(), expectedPort);
    Duration timeout = options.connectTimeout();
    return RSocketConnector.create()
        .setupPayload(DefaultPayload.create(setup.encode()))
        .payloadDecoder(PayloadDecoder.ZERO_COPY)
        .fragment(Fragmentation.MTU)
        .keepAlive(Duration.ofSeconds(15), Duration.ofSeconds(90))
        .connect(transport)
        .timeout(timeout, Mono.error(() -> timedOut(address, timeout)))
        .flatMap(
            socket -> {
              RSocketWireClient client = new RSocketWireClient(socket, kind, address);
              return client
                  .handshake()
                  .timeout(timeout, Mono.error(() -> timedOut(address, timeout)))
                  .then(
                      Mono.fromSupplier(
                          () ->
                              expectedPort > 0 && options.lane()
                                  ? withLane(client, setup, expectedPort, options)
                                  : (WireClient) client))
                  .doOnError(e -> socket.dispose())
                  .doOnCancel(socket::dispose);
            })
        .onErrorMap(e -> Failures.fromConnect(e, address.toString()));
  }

  /**
   * Gives the connection the lane beside a tcp server's unix socket; it connects on first use, and
   * the connection works without it.
   */
  private static WireClient withLane(
      RSocketWireClient client, Setup setup, int port, WireClientOptions options) {
    long id = client.connectionId();
    // the private directory was verified when the unix socket was found there: no file access
    Path path = SocketFiles.lane(port);
    if (id < 0 || path == null) {
      return client;
    }
    return new RoutingWireClient(
        client,
        LaneClient.lazy(
            path,
            setup.joining(id),
            client.address(),
            client.serverMaxFrameSize(),
            options.laneSpin()));
  }

  /**
   * Whether a failed unix shortcut is worth retrying over TCP: yes when the socket could not be
   * used (stale file, refused, another server's socket); no when the server refused the key or did
   * not answer in time, which TCP would only repeat.
   */
  private static boolean worthTcpFallback(Throwable error) {
    if (!(error instanceof WireException)) {
      return true;
    }
    WireException wire = (WireException) error;
    if (wire.getCause() instanceof TimeoutException) {
      return false;
    }
    return !wire.code().equals(WireException.UNAUTHORIZED)
        || !String.valueOf(wire.getMessage()).contains("secret key");
  }

  private static WireException timedOut(WireAddress address, Duration timeout) {
    return new WireException(
        WireException.CONNECTION_CLOSED,
        "connecting to "
            + address
            + " took longer than "
            + timeout.toMillis()
            + " ms; is a server running there?",
        new TimeoutException());
  }

  private static ClientTransport unix(Path socket) {
    return TcpClientTransport.create(unixClient(socket));
  }

  private static TcpClient unixClient(Path socket) {
    return TcpClient.create()
        // a socket path needs no name resolution: spares the DNS resolver (classes, memory)
        .resolver(NoopAddressResolverGroup.INSTANCE)
        .remoteAddress(() -> new DomainSocketAddress(socket.toString()));
  }

  /**
   * The same-host shortcut's transport: rsocket-java's TCP transport over the unix socket, which
   * first checks (SO_PEERCRED) that the listener runs as this user, before the setup and its key
   * are sent.
   */
  private static ClientTransport sameUserUnix(Path socket) {
    TcpClient client =
        unixClient(socket)
            .doOnConnected(
                c -> c.addHandlerLast(new RSocketLengthCodec(FrameLengthCodec.FRAME_LENGTH_MASK)));
    return () ->
        client
            .connect()
            .flatMap(
                connection -> {
                  try {
                    PeerCheck.requireMe(connection.channel());
                  } catch (IOException e) {
                    connection.dispose();
                    return Mono.error(e);
                  }
                  return Mono.just(new TcpDuplexConnection("client", connection));
                });
  }

  private static ClientTransport transport(WireAddress address, WireClientOptions options) {
    switch (address.scheme()) {
      case "local":
        return LocalClientTransport.create(address.path());
      case "unix":
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException(
              "cannot use "
                  + address
                  + ": unix-domain sockets need Netty's epoll transport (Linux); use tcp://");
        }
        return unix(Path.of(address.path()));
      case "tcp":
        {
          TcpClient tcp = TcpClient.create().host(address.host()).port(address.port());
          if (options.tls()) {
            SslContext ssl = clientSsl(options);
            tcp = tcp.secure(spec -> spec.sslContext(ssl));
          }
          return TcpClientTransport.create(tcp);
        }
      case "ws":
        {
          HttpClient http = HttpClient.create().host(address.host()).port(address.port());
          if (options.tls()) {
            SslContext ssl = clientSsl(options);
            http = http.secure(spec -> spec.sslContext(ssl));
          }
          return WebsocketClientTransport.create(http, address.path());
        }
      default:
        throw new IllegalArgumentException("unknown scheme " + address.scheme());
    }
  }

  private static SslContext clientSsl(WireClientOptions options) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient();
      Path trust = options.tlsTrust();
      if (trust != null) {
        builder.trustManager(trust.toFile());
      }
      return builder.build();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot set up TLS with trust " + options.tlsTrust() + ": " + e.getMessage(), e);
    }
  }
}
