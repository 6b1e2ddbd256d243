package io.zproc.internal.client;

import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.internal.SocketFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret key of an embedded server, where the same OS user finds it: a file {@code
 * tcp-<port>.key} in the user's private directory ({@link SocketFiles}), mode {@code rw-------}, as
 * Jupyter's connection files. {@code ZProc.start()} writes it and deletes it on close; {@code
 * ZProc.connect(address)} without a key reads it for a loopback tcp address.
 */
final class ConnectionFiles {
  private static final Logger log = LoggerFactory.getLogger(ConnectionFiles.class);

  private ConnectionFiles() {}

  /** A new random key: 192 bits, URL-safe Base64. Reads SecureRandom: not on an event loop. */
  static String newKey() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Writes the key of the server on a loopback tcp address; a failure only costs convenience. */
  static void write(String address, String key) {
    Path file = fileFor(address);
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file); // a stale one of a server killed on this port
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, key.getBytes(StandardCharsets.UTF_8), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      log.warn(
          "cannot write the connection file {}: ZProc.connect({}) will need the key given: {}",
          file,
          address,
          e.toString());
    }
  }

  /** The key in the connection file of a loopback tcp address, if it is this user's own file. */
  static @Nullable String read(String address) {
    Path file = fileFor(address);
    if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!SocketFiles.isOwn(file)) {
      return null;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    }
  }

  static void delete(String address) {
    Path file = fileFor(address);
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot delete the connection file {}", file, e);
    }
  }

  private static @Nullable Path fileFor(String address) {
    WireAddress a;
    try {
      a = WireAddress.parse(address);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return SocketFiles.connectionFile(a); // null unless a loopback tcp address
  }
}
