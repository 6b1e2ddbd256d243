package io.zproc.rsocket;

import static io.zproc.rsocket.WirePair.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zproc.rsocket.connect.Wire;
import io.zproc.rsocket.internal.PrivateDir;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * Another local user must not get a same-host client's key by planting a socket where the client
 * looks: not at the old shared path ({@code $TMPDIR/zproc-tcp-<port>.sock}), and not in this user's
 * private directory (a socket there owned by someone else is never used). Planted listeners accept
 * nothing; the client still gets its answer over TCP.
 */
class SocketSquattingTest {

  @Test
  void privateDirectory_isOwnerOnly() throws IOException {
    Path dir = PrivateDir.get();
    assertThat(dir).isNotNull();
    assertThat(Files.isSymbolicLink(dir)).isFalse();
    assertThat(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(SocketFiles.localSocket(5000)).isEqualTo(dir.resolve("tcp-5000.sock"));
  }

  @Test
  void aListenerAtTheOldSharedPath_getsNoConnection() throws IOException {
    WireServer server =
        Wire.bind("tcp://127.0.0.1:0", WireServerOptions.defaults(), new TestService())
            .block(TIMEOUT);
    Path old =
        Path.of(
            System.getProperty("java.io.tmpdir"), "zproc-tcp-" + server.address().port() + ".sock");
    try (ServerSocketChannel planted = listen(old)) {
      assertServed(server, "unix"); // its own socket, in the private directory
      assertThat(planted.accept()).as("a connection to the planted socket").isNull();
    } finally {
      Files.deleteIfExists(old);
      WirePair.dispose(server);
    }
  }

  @Test
  void aSocketInThePrivateDirectoryOwnedBySomeoneElse_isNotUsed() throws IOException {
    // Only root can give a file away (and only root or the owner can write in the directory):
    // the way another user's socket could be there at all.
    assumeTrue(isRoot(), "needs root, to give the planted socket to another uid");
    WireServer server =
        Wire.bind(
                "tcp://127.0.0.1:0",
                WireServerOptions.defaults().withLocalSocket(false),
                new TestService())
            .block(TIMEOUT);
    Path spot = SocketFiles.localSocket(server.address().port());
    try (ServerSocketChannel planted = listen(spot)) {
      Files.setAttribute(spot, "unix:uid", 4242, LinkOption.NOFOLLOW_LINKS);
      assertServed(server, "tcp");
      assertThat(planted.accept()).as("a connection to the planted socket").isNull();
    } finally {
      Files.deleteIfExists(spot);
      WirePair.dispose(server);
    }
  }

  private static void assertServed(WireServer server, String transport) {
    assertThat(
            WirePair.assertServed(
                server.address().toString(),
                WireClientOptions.defaults().withDirect(false),
                "hello"))
        .isEqualTo(transport);
  }

  private static ServerSocketChannel listen(Path path) throws IOException {
    Files.deleteIfExists(path);
    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(path));
    channel.configureBlocking(false);
    return channel;
  }

  private static boolean isRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }
}
