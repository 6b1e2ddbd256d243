package io.zproc.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor under every socket path: a blocking echo of {@link Echo#PAYLOAD}-sized messages with
 * plain {@code java.nio} channels, one thread per side and no event loop, so a round trip costs
 * exactly two wake-ups (the server's read, the client's read). Listens on loopback TCP and on a
 * unix-domain socket; addresses are {@code nio-tcp://127.0.0.1:port} and {@code nio-unix:///path}.
 */
final class NioEcho implements AutoCloseable {
  private static final int SIZE = Echo.PAYLOAD.length;

  private final ServerSocketChannel tcp;
  private final ServerSocketChannel unix;
  private final Path unixPath;

  private NioEcho(ServerSocketChannel tcp, ServerSocketChannel unix, Path unixPath) {
    this.tcp = tcp;
    this.unix = unix;
    this.unixPath = unixPath;
  }

  static NioEcho start() throws IOException {
    ServerSocketChannel tcp = ServerSocketChannel.open();
    tcp.bind(new InetSocketAddress("127.0.0.1", 0));
    Path path = Files.createTempDirectory("zproc-bench").resolve("nio.sock");
    ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    unix.bind(UnixDomainSocketAddress.of(path));
    NioEcho echo = new NioEcho(tcp, unix, path);
    accept(tcp, "nio-echo tcp accept");
    accept(unix, "nio-echo unix accept");
    return echo;
  }

  String tcpAddress() {
    return "nio-tcp://127.0.0.1:" + tcp.socket().getLocalPort();
  }

  String unixAddress() {
    return "nio-unix://" + unixPath;
  }

  private static void accept(ServerSocketChannel server, String name) {
    Thread t =
        new Thread(
            () -> {
              while (server.isOpen()) {
                try {
                  SocketChannel c = server.accept();
                  Thread serve = new Thread(() -> serve(c), name + "ed");
                  serve.setDaemon(true);
                  serve.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  private static void serve(SocketChannel c) {
    ByteBuffer buf = ByteBuffer.allocateDirect(SIZE);
    try (c) {
      while (true) {
        buf.clear();
        readFully(c, buf);
        buf.flip();
        while (buf.hasRemaining()) {
          c.write(buf);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** A client connection; {@link #call()} is one round trip on the calling thread. */
  static final class Client {
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);

    Client(String address) throws IOException {
      SocketAddress to;
      if (address.startsWith("nio-tcp://")) {
        String hostPort = address.substring("nio-tcp://".length());
        int colon = hostPort.lastIndexOf(':');
        to =
            new InetSocketAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        channel = SocketChannel.open(to);
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      } else if (address.startsWith("nio-unix://")) {
        to = UnixDomainSocketAddress.of(address.substring("nio-unix://".length()));
        channel = SocketChannel.open(to);
      } else {
        throw new IllegalArgumentException("unknown nio echo address " + address);
      }
      out.put(Echo.PAYLOAD);
    }

    void call() {
      try {
        out.clear();
        while (out.hasRemaining()) {
          channel.write(out);
        }
        in.clear();
        readFully(channel, in);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void readFully(SocketChannel c, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      if (c.read(buf) < 0) {
        throw new EOFException();
      }
    }
  }

  @Override
  public void close() throws IOException {
    tcp.close();
    unix.close();
    Files.deleteIfExists(unixPath);
    Files.deleteIfExists(unixPath.getParent());
  }
}
