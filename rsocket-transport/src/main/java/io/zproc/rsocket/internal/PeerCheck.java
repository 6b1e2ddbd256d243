package io.zproc.rsocket.internal;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Checks who listens on a unix-domain socket before anything is sent on it: the kernel's {@code
 * SO_PEERCRED} names the user of the process that accepted the connection. A client of the
 * same-host shortcut sends its secret key in its first frame, so the listener must be this user's
 * own server; the private directory keeps other users from planting a socket, and this check holds
 * even if the directory were ever wrong.
 */
public final class PeerCheck {
  private PeerCheck() {}

  /**
   * Fails unless the peer of a Netty epoll unix-domain channel runs as {@code expectedUid}.
   *
   * @throws IOException naming the peer's uid and pid when it is another user's
   */
  public static void requireUid(Channel channel, int expectedUid) throws IOException {
    if (!(channel instanceof EpollDomainSocketChannel)) {
      throw new IOException(
          "cannot tell who listens on " + channel.remoteAddress() + ": not a unix-domain socket");
    }
    var credentials = ((EpollDomainSocketChannel) channel).peerCredentials();
    if (credentials.uid() != expectedUid) {
      throw new IOException(
          "the process listening on "
              + channel.remoteAddress()
              + " (pid "
              + credentials.pid()
              + ") runs as uid "
              + credentials.uid()
              + ", not as this user (uid "
              + expectedUid
              + "); nothing was sent to it");
    }
  }

  /** {@link #requireUid(Channel, int)} with this process's uid. */
  public static void requireMe(Channel channel) throws IOException {
    requireUid(channel, myUid());
  }

  /**
   * Fails unless the peer of a JDK unix-domain channel runs as {@code expected}.
   *
   * @throws IOException naming the peer's user when it is another
   */
  public static void requireUser(SocketChannel channel, UserPrincipal expected) throws IOException {
    UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    if (!peer.user().equals(expected)) {
      throw new IOException(
          "the process listening on "
              + channel.getRemoteAddress()
              + " runs as "
              + peer.user().getName()
              + ", not as this user ("
              + expected.getName()
              + "); nothing was sent to it");
    }
  }

  /** {@link #requireUser(SocketChannel, UserPrincipal)} with this process's user. */
  public static void requireMe(SocketChannel channel) throws IOException {
    requireUser(channel, Files.getOwner(Path.of("/proc/self"), LinkOption.NOFOLLOW_LINKS));
  }

  private static int myUid() throws IOException {
    Integer uid = PrivateDir.uid();
    if (uid == null) {
      throw new IOException("this process has no uid to compare the listener's with");
    }
    return uid;
  }
}
