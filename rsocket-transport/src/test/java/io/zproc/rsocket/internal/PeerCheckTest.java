package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIOException;

import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * The kernel says who listens on a unix socket (SO_PEERCRED): a listener of this user passes, one
 * of any other user is refused with a message that names it, on both kinds of channel the client
 * uses (Netty's epoll channel for RSocket, the JDK's for the lane).
 */
class PeerCheckTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void jdkChannel_listenerOfThisUser_passes_anyOtherUser_refused(@TempDir Path dir)
      throws IOException {
    Path socket = dir.resolve("peer.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
          SocketChannel accepted = server.accept()) {
        assertThatCode(() -> PeerCheck.requireMe(client)).doesNotThrowAnyException();

        UserPrincipal other = anotherUser();
        assertThatIOException()
            .isThrownBy(() -> PeerCheck.requireUser(client, other))
            .withMessageContaining("not as this user (" + other.getName() + ")")
            .withMessageContaining("nothing was sent");
        assertThat(accepted.isOpen()).isTrue();
      }
    }
  }

  @Test
  void epollChannel_listenerOfThisUser_passes_anyOtherUid_refused(@TempDir Path dir)
      throws IOException {
    Path socket = dir.resolve("netty.sock");
    DisposableServer server =
        TcpServer.create()
            .bindAddress(() -> new DomainSocketAddress(socket.toString()))
            .handle((in, out) -> in.receive().then())
            .bindNow(TIMEOUT);
    try {
      Connection connection =
          TcpClient.create()
              .remoteAddress(() -> new DomainSocketAddress(socket.toString()))
              .connectNow(TIMEOUT);
      try {
        assertThatCode(() -> PeerCheck.requireMe(connection.channel())).doesNotThrowAnyException();
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assertThatIOException()
            .isThrownBy(() -> PeerCheck.requireUid(connection.channel(), me + 1))
            .withMessageContaining("runs as uid " + me)
            .withMessageContaining("not as this user (uid " + (me + 1) + ")");
      } finally {
        connection.disposeNow(TIMEOUT);
      }
    } finally {
      server.disposeNow(TIMEOUT);
    }
  }

  /** A user other than this process's: nobody, or root when this is nobody. */
  private static UserPrincipal anotherUser() throws IOException {
    var lookup = FileSystems.getDefault().getUserPrincipalLookupService();
    UserPrincipal me = Files.getOwner(Path.of("/proc/self"));
    UserPrincipal nobody = lookup.lookupPrincipalByName("nobody");
    return nobody.equals(me) ? lookup.lookupPrincipalByName("root") : nobody;
  }
}
