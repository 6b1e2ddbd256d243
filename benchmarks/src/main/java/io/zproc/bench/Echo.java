package io.zproc.bench;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.rsocket.Closeable;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.server.CloseableChannel;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.DefaultPayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * The raw RSocket baseline: a request-response server that answers each payload with itself, and
 * clients for it. Zero-copy decoding on both sides; every received payload is released.
 */
final class Echo implements AutoCloseable {
  /** About the size of an encoded {@code put("key", 123)} request. */
  static final byte[] PAYLOAD = new byte[48];

  private final CloseableChannel tcp;
  private final Closeable local;
  private final String localName;
  private final @Nullable CloseableChannel unix;
  private final @Nullable Path unixPath;

  private Echo(
      CloseableChannel tcp,
      Closeable local,
      String localName,
      @Nullable CloseableChannel unix,
      @Nullable Path unixPath) {
    this.tcp = tcp;
    this.local = local;
    this.localName = localName;
    this.unix = unix;
    this.unixPath = unixPath;
  }

  /**
   * Binds echo servers on loopback TCP, the in-JVM local transport and (on Linux) a unix socket.
   */
  static Echo start() throws Exception {
    CloseableChannel tcp =
        Objects.requireNonNull(server().bind(TcpServerTransport.create("127.0.0.1", 0)).block());
    String localName = "zproc-bench-echo-" + ProcessHandle.current().pid();
    Closeable local =
        Objects.requireNonNull(server().bind(LocalServerTransport.create(localName)).block());
    CloseableChannel unix = null;
    Path unixPath = null;
    if (Epoll.isAvailable()) {
      unixPath = Files.createTempDirectory("zproc-bench").resolve("echo.sock");
      String path = unixPath.toString();
      unix =
          Objects.requireNonNull(
              server()
                  .bind(
                      TcpServerTransport.create(
                          TcpServer.create().bindAddress(() -> new DomainSocketAddress(path))))
                  .block());
    }
    return new Echo(tcp, local, localName, unix, unixPath);
  }

  private static RSocketServer server() {
    return RSocketServer.create(SocketAcceptor.forRequestResponse(Mono::just))
        .payloadDecoder(PayloadDecoder.ZERO_COPY);
  }

  String tcpAddress() {
    return "tcp://127.0.0.1:" + tcp.address().getPort();
  }

  String localAddress() {
    return "local:" + localName;
  }

  /** {@code unix://<path>}, or null where there is no epoll. */
  @Nullable String unixAddress() {
    return unixPath == null ? null : "unix://" + unixPath;
  }

  /** Connects to {@code tcp://host:port}, {@code unix:///path} or {@code local:name}. */
  static RSocket connect(String address) {
    ClientTransport transport;
    if (address.startsWith("tcp://")) {
      String hostPort = address.substring("tcp://".length());
      int colon = hostPort.lastIndexOf(':');
      transport =
          TcpClientTransport.create(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } else if (address.startsWith("unix://")) {
      String path = address.substring("unix://".length());
      transport =
          TcpClientTransport.create(
              TcpClient.create().remoteAddress(() -> new DomainSocketAddress(path)));
    } else if (address.startsWith("local:")) {
      transport = LocalClientTransport.create(address.substring("local:".length()));
    } else {
      throw new IllegalArgumentException("unknown echo address " + address);
    }
    return Objects.requireNonNull(
        RSocketConnector.create()
            .payloadDecoder(PayloadDecoder.ZERO_COPY)
            .connect(transport)
            .block());
  }

  /** One echo round trip; the reply is released. */
  static Mono<Void> call(RSocket socket) {
    return socket.requestResponse(DefaultPayload.create(PAYLOAD)).doOnNext(Payload::release).then();
  }

  @Override
  public void close() {
    tcp.dispose();
    local.dispose();
    if (unix != null) {
      unix.dispose();
    }
    if (unixPath != null) {
      try {
        Files.deleteIfExists(unixPath);
        Files.deleteIfExists(unixPath.getParent());
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
