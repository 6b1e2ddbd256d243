package io.zproc;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ZProcServer} runs. Immutable: each wither returns a changed copy.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.defaults().secretKey("s3cret").journalSize(100_000);
 * }</pre>
 */
public final class ServerOptions {
  /** Default largest request frame: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

  /** Default longest key or namespace name: 1024 UTF-8 bytes. */
  public static final int DEFAULT_MAX_KEY_LENGTH = 1024;

  /** Default number of change records kept per namespace: 10,000. */
  public static final int DEFAULT_JOURNAL_SIZE = 10_000;

  /** Default bytes of change records kept per namespace: 64 MiB. */
  public static final long DEFAULT_JOURNAL_BYTES = 64L * 1024 * 1024;

  private static final ServerOptions DEFAULTS =
      new ServerOptions(
          null,
          DEFAULT_MAX_FRAME_SIZE,
          DEFAULT_MAX_KEY_LENGTH,
          DEFAULT_JOURNAL_SIZE,
          DEFAULT_JOURNAL_BYTES,
          null,
          null,
          true,
          Set.of());

  private final @Nullable String secretKey;
  private final int maxFrameSize;
  private final int maxKeyLength;
  private final int journalSize;
  private final long journalBytes;
  private final @Nullable Path tlsKeyStore;
  private final @Nullable String tlsPassword;
  private final boolean localSocket;
  private final Set<String> allowedOrigins;

  private ServerOptions(
      @Nullable String secretKey,
      int maxFrameSize,
      int maxKeyLength,
      int journalSize,
      long journalBytes,
      @Nullable Path tlsKeyStore,
      @Nullable String tlsPassword,
      boolean localSocket,
      Set<String> allowedOrigins) {
    this.secretKey = secretKey;
    this.maxFrameSize = maxFrameSize;
    this.maxKeyLength = maxKeyLength;
    this.journalSize = journalSize;
    this.journalBytes = journalBytes;
    this.tlsKeyStore = tlsKeyStore;
    this.tlsPassword = tlsPassword;
    this.localSocket = localSocket;
    this.allowedOrigins = allowedOrigins;
  }

  /**
   * No secret key, 16 MiB frames, 1024-byte keys, a journal of 10,000 changes or 64 MiB per
   * namespace, no TLS, a unix-domain socket beside {@code tcp://} for clients on this host.
   */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Requires every client to present this key at connection setup (compared in constant time). By
   * default none.
   *
   * @param key the secret; {@code null} for none
   * @throws IllegalArgumentException if empty
   */
  public ServerOptions secretKey(@Nullable String key) {
    if (key != null && key.isEmpty()) {
      throw new IllegalArgumentException("secretKey must not be empty; pass null for no key");
    }
    return new ServerOptions(
        key,
        maxFrameSize,
        maxKeyLength,
        journalSize,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        allowedOrigins);
  }

  /**
   * The largest request a client may send, in bytes; a larger one gets an error that names this
   * option. By default 16 MiB.
   *
   * @throws IllegalArgumentException if under 1024
   */
  public ServerOptions maxFrameSize(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes, got " + bytes);
    }
    return new ServerOptions(
        secretKey,
        bytes,
        maxKeyLength,
        journalSize,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        allowedOrigins);
  }

  /**
   * The longest key or namespace name, in UTF-8 bytes. By default 1024.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions maxKeyLength(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxKeyLength must be at least 1 byte, got " + bytes);
    }
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        bytes,
        journalSize,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        allowedOrigins);
  }

  /**
   * How many change records each namespace keeps for watchers that resume. By default 10,000.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions journalSize(int changes) {
    if (changes < 1) {
      throw new IllegalArgumentException("journalSize must be at least 1, got " + changes);
    }
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        maxKeyLength,
        changes,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        allowedOrigins);
  }

  /**
   * How many bytes of change records each namespace keeps (estimated). By default 64 MiB.
   *
   * @throws IllegalArgumentException if under 1024
   */
  public ServerOptions journalBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("journalBytes must be at least 1024, got " + bytes);
    }
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        maxKeyLength,
        journalSize,
        bytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        allowedOrigins);
  }

  /**
   * Serves TLS on {@code tcp://} and {@code ws://} with the key and certificate in this PKCS#12 key
   * store. By default no TLS. The unix-domain socket for clients on this host and the in-JVM path
   * do not use TLS.
   */
  public ServerOptions tls(Path pkcs12KeyStore, String password) {
    Objects.requireNonNull(pkcs12KeyStore, "pkcs12KeyStore");
    Objects.requireNonNull(password, "password");
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        maxKeyLength,
        journalSize,
        journalBytes,
        pkcs12KeyStore,
        password,
        localSocket,
        allowedOrigins);
  }

  /**
   * Whether a {@code tcp://} server also listens on an owner-only unix-domain socket in the
   * temporary directory, which clients on this host use instead of TCP. By default true (where
   * Netty's epoll transport is available).
   */
  public ServerOptions localSocket(boolean enabled) {
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        maxKeyLength,
        journalSize,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        enabled,
        allowedOrigins);
  }

  /**
   * The web origins (as a browser sends them, e.g. {@code https://app.example.com}) whose pages may
   * open a {@code ws://} connection. A WebSocket handshake that carries an {@code Origin} header
   * not in this set is closed (policy violation, 1008) before anything is read: a web page a user
   * visits must not reach a server on the user's machine. Clients that send no {@code Origin} (this
   * library's own, any non-browser client) are not affected. By default none.
   */
  public ServerOptions allowedOrigins(String... origins) {
    Set<String> set = new LinkedHashSet<>();
    for (String o : origins) {
      set.add(Objects.requireNonNull(o, "origins must not contain null"));
    }
    return new ServerOptions(
        secretKey,
        maxFrameSize,
        maxKeyLength,
        journalSize,
        journalBytes,
        tlsKeyStore,
        tlsPassword,
        localSocket,
        Collections.unmodifiableSet(set));
  }

  /** The web origins allowed to open {@code ws://} connections. */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** The secret key, or null. */
  public @Nullable String secretKey() {
    return secretKey;
  }

  /** The frame limit in bytes. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** The key length limit in UTF-8 bytes. */
  public int maxKeyLength() {
    return maxKeyLength;
  }

  /** The journal's bound in changes per namespace. */
  public int journalSize() {
    return journalSize;
  }

  /** The journal's bound in bytes per namespace. */
  public long journalBytes() {
    return journalBytes;
  }

  /** The TLS key store, or null. */
  public @Nullable Path tlsKeyStore() {
    return tlsKeyStore;
  }

  /** The TLS key store's password, or null. */
  public @Nullable String tlsPassword() {
    return tlsPassword;
  }

  /** Whether a unix-domain socket serves clients on this host. */
  public boolean localSocket() {
    return localSocket;
  }

  @Override
  public String toString() {
    return "ServerOptions[secretKey="
        + (secretKey == null ? "none" : "***")
        + ", maxFrameSize="
        + maxFrameSize
        + ", maxKeyLength="
        + maxKeyLength
        + ", journalSize="
        + journalSize
        + ", journalBytes="
        + journalBytes
        + ", tls="
        + (tlsKeyStore != null)
        + ", localSocket="
        + localSocket
        + ", allowedOrigins="
        + allowedOrigins
        + "]";
  }
}
