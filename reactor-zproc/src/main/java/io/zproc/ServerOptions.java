package io.zproc;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
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

  /** Default bytes of replies and changes that may wait for one connection: 64 MiB. */
  public static final long DEFAULT_MAX_PENDING_BYTES_PER_CONNECTION = 64L * 1024 * 1024;

  /** Default most open socket connections: 4,096. */
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;

  /** Default most change streams and {@code when*} waits open on one connection: 10,000. */
  public static final int DEFAULT_MAX_WATCHES_PER_CONNECTION = 10_000;

  /** Default most callers waiting for one namespace's atomic lock: 10,000. */
  public static final int DEFAULT_MAX_ATOMIC_WAITERS = 10_000;

  /** Default most namespaces one server holds: 100,000. */
  public static final int DEFAULT_MAX_NAMESPACES = 100_000;

  private static final ServerOptions DEFAULTS = new ServerOptions(new Fields());

  /** The values; a copy is changed before it is frozen in a new instance, never after. */
  private static final class Fields implements Cloneable {
    @Nullable String secretKey;
    int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    int maxKeyLength = DEFAULT_MAX_KEY_LENGTH;
    int journalSize = DEFAULT_JOURNAL_SIZE;
    long journalBytes = DEFAULT_JOURNAL_BYTES;
    @Nullable Path tlsKeyStore;
    @Nullable String tlsPassword;
    boolean localSocket = true;
    Set<String> allowedOrigins = Set.of();
    long maxPendingBytesPerConnection = DEFAULT_MAX_PENDING_BYTES_PER_CONNECTION;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    int maxWatchesPerConnection = DEFAULT_MAX_WATCHES_PER_CONNECTION;
    int maxAtomicWaiters = DEFAULT_MAX_ATOMIC_WAITERS;
    int maxNamespaces = DEFAULT_MAX_NAMESPACES;
    @Nullable String store;

    Fields copy() {
      try {
        return (Fields) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private final Fields f;

  private ServerOptions(Fields f) {
    this.f = f;
  }

  private ServerOptions with(Consumer<Fields> change) {
    Fields copy = f.copy();
    change.accept(copy);
    return new ServerOptions(copy);
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
    return with(v -> v.secretKey = key);
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
    return with(v -> v.maxFrameSize = bytes);
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
    return with(v -> v.maxKeyLength = bytes);
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
    return with(v -> v.journalSize = changes);
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
    return with(v -> v.journalBytes = bytes);
  }

  /**
   * Serves TLS on {@code tcp://} and {@code ws://} with the key and certificate in this PKCS#12 key
   * store. By default no TLS. The unix-domain socket for clients on this host and the in-JVM path
   * do not use TLS.
   */
  public ServerOptions tls(Path pkcs12KeyStore, String password) {
    Objects.requireNonNull(pkcs12KeyStore, "pkcs12KeyStore");
    Objects.requireNonNull(password, "password");
    return with(
        v -> {
          v.tlsKeyStore = pkcs12KeyStore;
          v.tlsPassword = password;
        });
  }

  /**
   * Whether a {@code tcp://} server also listens on an owner-only unix-domain socket in the
   * temporary directory, which clients on this host use instead of TCP. By default true (where
   * Netty's epoll transport is available).
   */
  public ServerOptions localSocket(boolean enabled) {
    return with(v -> v.localSocket = enabled);
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
    return with(v -> v.allowedOrigins = Collections.unmodifiableSet(set));
  }

  /**
   * The most bytes of replies and changes that may wait for one connection to read. A client that
   * asks for changes and stops reading would otherwise grow the server's heap by every change; past
   * this limit its connection is closed with an error that names this option (as Redis' {@code
   * client-output-buffer-limit} does), and every other client goes on. Keep it well above {@link
   * #maxFrameSize(int)}. By default 64 MiB.
   *
   * @throws IllegalArgumentException if under 1024
   */
  public ServerOptions maxPendingBytesPerConnection(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException(
          "maxPendingBytesPerConnection must be at least 1024 bytes, got " + bytes);
    }
    return with(v -> v.maxPendingBytesPerConnection = bytes);
  }

  /**
   * The most open socket connections (children, clients, workers; the in-JVM path not counted). A
   * connection past it is refused with an error that names this option. By default 4,096.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions maxConnections(int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got " + connections);
    }
    return with(v -> v.maxConnections = connections);
  }

  /**
   * The most change streams and {@code when*} waits one connection may have open at once. One past
   * it fails with {@code LIMIT_EXCEEDED} naming this option; the others go on. By default 10,000.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions maxWatchesPerConnection(int watches) {
    if (watches < 1) {
      throw new IllegalArgumentException(
          "maxWatchesPerConnection must be at least 1, got " + watches);
    }
    return with(v -> v.maxWatchesPerConnection = watches);
  }

  /**
   * The most callers that may wait in turn for one namespace's atomic lock. One past it fails with
   * {@code LIMIT_EXCEEDED} naming this option. By default 10,000.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions maxAtomicWaiters(int waiters) {
    if (waiters < 1) {
      throw new IllegalArgumentException("maxAtomicWaiters must be at least 1, got " + waiters);
    }
    return with(v -> v.maxAtomicWaiters = waiters);
  }

  /**
   * The most namespaces the server holds. Namespaces are made on first use (a read too) and live
   * until dropped ({@link State#drop()}); a use that would make one past the limit fails with
   * {@code LIMIT_EXCEEDED} naming this option. By default 100,000.
   *
   * @throws IllegalArgumentException if under 1
   */
  public ServerOptions maxNamespaces(int namespaces) {
    if (namespaces < 1) {
      throw new IllegalArgumentException("maxNamespaces must be at least 1, got " + namespaces);
    }
    return with(v -> v.maxNamespaces = namespaces);
  }

  /** The system property that sets the store of servers started without {@link #store(String)}. */
  public static final String STORE_PROPERTY = "io.zproc.store";

  /**
   * Where the state lives. {@code "memory"} (the default): in this server's memory, gone when it
   * stops. {@code "redis://host:port[/db]"} ({@code redis://:password@host:port} with a password,
   * {@code rediss://} for TLS): in Redis, where several servers started with the same URI share one
   * state (a change through one is seen, watched and versioned through all) and a restarted server
   * loses nothing; every write then costs a round trip to Redis. See docs/redis.md. Without this
   * option the system property {@value #STORE_PROPERTY} sets it.
   *
   * <p>The redis store needs {@code io.lettuce:lettuce-core} on the class path (an optional
   * dependency); a server started with it but without Lettuce fails with a message naming it. A
   * server that cannot reach Redis at start fails to start; one that loses Redis while serving
   * answers {@link ErrorCode#STORE_UNAVAILABLE} until Redis is back.
   *
   * @param uri {@code "memory"} or a {@code redis://} or {@code rediss://} URI
   * @throws IllegalArgumentException if malformed or of another scheme, naming what to give
   */
  public ServerOptions store(String uri) {
    Objects.requireNonNull(uri, "uri");
    String checked = StoreUri.check(uri, "ServerOptions.store");
    return with(v -> v.store = checked);
  }

  /**
   * The store: the one set by {@link #store(String)}, else the system property {@value
   * #STORE_PROPERTY} as it is now, else {@code "memory"}.
   *
   * @throws IllegalArgumentException if the property is malformed, naming it
   */
  public String store() {
    if (f.store != null) {
      return f.store;
    }
    String property = System.getProperty(STORE_PROPERTY);
    if (property == null || property.isBlank()) {
      return "memory";
    }
    return StoreUri.check(property.strip(), "the system property " + STORE_PROPERTY);
  }

  /** The bound on namespaces. */
  public int maxNamespaces() {
    return f.maxNamespaces;
  }

  /** The bound on bytes waiting for one connection to read. */
  public long maxPendingBytesPerConnection() {
    return f.maxPendingBytesPerConnection;
  }

  /** The bound on open socket connections. */
  public int maxConnections() {
    return f.maxConnections;
  }

  /** The bound on change streams and waits per connection. */
  public int maxWatchesPerConnection() {
    return f.maxWatchesPerConnection;
  }

  /** The bound on waiters for one namespace's atomic lock. */
  public int maxAtomicWaiters() {
    return f.maxAtomicWaiters;
  }

  /** The web origins allowed to open {@code ws://} connections. */
  public Set<String> allowedOrigins() {
    return f.allowedOrigins;
  }

  /** The secret key, or null. */
  public @Nullable String secretKey() {
    return f.secretKey;
  }

  /** The frame limit in bytes. */
  public int maxFrameSize() {
    return f.maxFrameSize;
  }

  /** The key length limit in UTF-8 bytes. */
  public int maxKeyLength() {
    return f.maxKeyLength;
  }

  /** The journal's bound in changes per namespace. */
  public int journalSize() {
    return f.journalSize;
  }

  /** The journal's bound in bytes per namespace. */
  public long journalBytes() {
    return f.journalBytes;
  }

  /** The TLS key store, or null. */
  public @Nullable Path tlsKeyStore() {
    return f.tlsKeyStore;
  }

  /** The TLS key store's password, or null. */
  public @Nullable String tlsPassword() {
    return f.tlsPassword;
  }

  /** Whether a unix-domain socket serves clients on this host. */
  public boolean localSocket() {
    return f.localSocket;
  }

  @Override
  public String toString() {
    return "ServerOptions[secretKey="
        + (f.secretKey == null ? "none" : "***")
        + ", maxFrameSize="
        + f.maxFrameSize
        + ", maxKeyLength="
        + f.maxKeyLength
        + ", journalSize="
        + f.journalSize
        + ", journalBytes="
        + f.journalBytes
        + ", tls="
        + (f.tlsKeyStore != null)
        + ", localSocket="
        + f.localSocket
        + ", allowedOrigins="
        + f.allowedOrigins
        + ", maxPendingBytesPerConnection="
        + f.maxPendingBytesPerConnection
        + ", maxConnections="
        + f.maxConnections
        + ", maxWatchesPerConnection="
        + f.maxWatchesPerConnection
        + ", maxAtomicWaiters="
        + f.maxAtomicWaiters
        + ", maxNamespaces="
        + f.maxNamespaces
        + ", store="
        + (f.store == null ? "default" : StoreUri.redacted(f.store))
        + "]";
  }
}
