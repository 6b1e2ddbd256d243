package io.zproc.rsocket.internal;

import io.zproc.rsocket.WireAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same-host files of a tcp server, the one place that names and checks them. They live in this
 * user's private directory ({@link PrivateDir}), by the server's port: the unix socket beside it
 * ({@code tcp-<port>.sock}), its lane ({@code tcp-<port>.lane}) and the connection file of an
 * embedded server ({@code tcp-<port>.key}, its secret key). A server claims a socket path (clearing
 * a stale socket) and makes it owner-only; a client uses a file there only when it is this user's
 * own. Without a private directory there are none: every method naming a file returns null.
 */
public final class SocketFiles {
  private static final Logger log = LoggerFactory.getLogger(SocketFiles.class);

  private SocketFiles() {}

  /** The unix socket beside the tcp server on {@code port}, or null without a private directory. */
  public static @Nullable Path localSocket(int port) {
    return inPrivateDir("tcp-" + port + ".sock");
  }

  /** The lane socket beside the tcp server on {@code port}, or null without a private directory. */
  public static @Nullable Path lane(int port) {
    return inPrivateDir("tcp-" + port + ".lane");
  }

  /**
   * The connection file of the tcp server on {@code port} (its secret key, readable by its owner
   * only), or null without a private directory.
   */
  public static @Nullable Path connectionFile(int port) {
    return inPrivateDir("tcp-" + port + ".key");
  }

  /**
   * The connection file of a server address: only a loopback {@code tcp://} address with a port has
   * one; null for any other address, or without a private directory.
   */
  public static @Nullable Path connectionFile(WireAddress address) {
    if (!address.scheme().equals("tcp")
        || address.port() <= 0
        || !DirectRegistry.isLoopback(address.host())) {
      return null;
    }
    return connectionFile(address.port());
  }

  /**
   * The unix socket beside the tcp server on {@code port} if it is there and is this user's own (no
   * other local user can plant one there, to be sent the key), else null. Touches the file system.
   */
  public static @Nullable Path ownLocalSocket(int port) {
    Path socket = localSocket(port);
    return socket != null && Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && isOwn(socket)
        ? socket
        : null;
  }

  /**
   * Whether a file in the private directory is this user's own and not a link: what a client checks
   * before it connects to a socket there or reads a key from it.
   */
  public static boolean isOwn(Path file) {
    return PrivateDir.ownedByMe(file);
  }

  /**
   * A socket path in the private directory, claimed for a server: cleared of a stale socket.
   *
   * @throws IOException when there is no private directory ({@code path} is null), or a server
   *     listens there
   */
  public static Path claim(@Nullable Path path) throws IOException {
    if (path == null) {
      throw new IOException("this user has no private directory for it (see the warning above)");
    }
    clearStale(path);
    return path;
  }

  /** Removes a socket file that no live server listens on; fails if one does. */
  public static void clearStale(Path path) throws IOException {
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

  /** Makes a socket file readable and writable by its owner only; a failure is logged at debug. */
  public static void ownerOnly(Path path) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("could not restrict {}", path, e);
    }
  }

  /** Deletes a server's socket file, if any; a failure is logged at debug. */
  public static void delete(@Nullable Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("could not delete {}", file, e);
    }
  }

  private static @Nullable Path inPrivateDir(String name) {
    Path dir = PrivateDir.get();
    return dir == null ? null : dir.resolve(name);
  }
}
