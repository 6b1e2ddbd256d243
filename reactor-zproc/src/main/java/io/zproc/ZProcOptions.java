package io.zproc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ZProc} context starts or connects. Immutable: each wither returns a changed copy.
 *
 * <pre>{@code
 * ZProc ctx = ZProc.connect("tcp://10.0.0.5:5000",
 *     ZProcOptions.defaults().namespace("jobs").secretKey("s3cret"));
 * }</pre>
 */
public final class ZProcOptions {
  /** Where {@link ZProc#start()}'s embedded server listens unless told otherwise. */
  public static final String DEFAULT_BIND = "tcp://127.0.0.1:0";

  private static final ZProcOptions DEFAULTS =
      new ZProcOptions(
          "default",
          null,
          false,
          null,
          Duration.ofSeconds(10),
          ServerOptions.defaults(),
          true,
          true,
          1,
          DEFAULT_BIND);

  private final String namespace;
  private final @Nullable String secretKey;
  private final boolean tls;
  private final @Nullable Path tlsTrust;
  private final Duration connectTimeout;
  private final ServerOptions serverOptions;
  private final boolean directPath;
  private final boolean localSocket;
  private final int spareProcesses;
  private final String bind;

  private ZProcOptions(
      String namespace,
      @Nullable String secretKey,
      boolean tls,
      @Nullable Path tlsTrust,
      Duration connectTimeout,
      ServerOptions serverOptions,
      boolean directPath,
      boolean localSocket,
      int spareProcesses,
      String bind) {
    this.namespace = namespace;
    this.secretKey = secretKey;
    this.tls = tls;
    this.tlsTrust = tlsTrust;
    this.connectTimeout = connectTimeout;
    this.serverOptions = serverOptions;
    this.directPath = directPath;
    this.localSocket = localSocket;
    this.spareProcesses = spareProcesses;
    this.bind = bind;
  }

  /**
   * Namespace {@code "default"}, no secret key, no TLS, a 10 s connect timeout, and default {@link
   * ServerOptions} for the embedded server of {@link ZProc#start(ZProcOptions)}.
   */
  public static ZProcOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The namespace of {@link ZProc#state()}. By default {@code "default"}.
   *
   * @throws IllegalArgumentException if empty
   */
  public ZProcOptions namespace(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    return new ZProcOptions(
        name,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        directPath,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * The secret key presented to the server. For {@link ZProc#start(ZProcOptions)} it is also the
   * embedded server's key; without one, {@code start} makes a random key (secure by default), gives
   * it to its children over their stdin, and writes it to a connection file that only the same OS
   * user can read, where {@link ZProc#connect(String)} finds it for a loopback address. By default
   * none.
   *
   * @throws IllegalArgumentException if empty
   */
  public ZProcOptions secretKey(@Nullable String key) {
    if (key != null && key.isEmpty()) {
      throw new IllegalArgumentException("secretKey must not be empty; pass null for no key");
    }
    return new ZProcOptions(
        namespace,
        key,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        directPath,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * Connects to {@code tcp://} and {@code ws://} servers over TLS, trusting the PEM certificates in
   * this file ({@code null}: the JVM's default trust store). By default no TLS.
   */
  public ZProcOptions tls(@Nullable Path trustedCertificates) {
    return new ZProcOptions(
        namespace,
        secretKey,
        true,
        trustedCertificates,
        connectTimeout,
        serverOptions,
        directPath,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * How long connecting may take before it fails. By default 10 seconds.
   *
   * @throws IllegalArgumentException if not positive
   */
  public ZProcOptions connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
    }
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        timeout,
        serverOptions,
        directPath,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * The options of the embedded server that {@link ZProc#start(ZProcOptions)} starts; its secret
   * key is replaced by {@link #secretKey(String)} when that is set. By default {@link
   * ServerOptions#defaults()}.
   */
  public ZProcOptions serverOptions(ServerOptions options) {
    Objects.requireNonNull(options, "options");
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        options,
        directPath,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * Whether a server in this JVM is reached directly, without a socket or any encoding (same
   * semantics). By default true; turn it off to measure or test the socket path.
   */
  public ZProcOptions directPath(boolean enabled) {
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        enabled,
        localSocket,
        spareProcesses,
        bind);
  }

  /**
   * Whether a {@code tcp://} server on this host is reached through its unix-domain socket when it
   * has one. By default true.
   */
  public ZProcOptions localSocket(boolean enabled) {
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        directPath,
        enabled,
        spareProcesses,
        bind);
  }

  /**
   * How many child JVMs to keep pre-started, so that {@link ZProc#process} does not wait for a JVM
   * to boot. The pool fills after the first process is started and refills in the background. By
   * default 1; 0 turns it off. Processes with their own JVM options or environment never use a
   * spare. A spare that waits warms up on idle cycles: it runs rounds of state calls in the
   * server's {@code zproc.internal.warm-up} namespace, so that its task's first calls run compiled
   * (the parent's {@code -Dio.zproc.spareWarmUp=0} turns that off; see docs/processes.md).
   *
   * @throws IllegalArgumentException if negative or over 16
   */
  public ZProcOptions spareProcesses(int count) {
    if (count < 0 || count > 16) {
      throw new IllegalArgumentException("spareProcesses must be 0..16, got " + count);
    }
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        directPath,
        localSocket,
        count,
        bind);
  }

  /**
   * Where the embedded server of {@link ZProc#start(ZProcOptions)} listens: {@code tcp://host:port}
   * (port 0 picks a free one), {@code ws://host:port/path} or {@code unix:///path}. By default
   * {@value #DEFAULT_BIND}, this host only. Ignored by {@link ZProc#connect}.
   *
   * <p>{@code tcp://0.0.0.0:0} serves every interface, so that workers and clients on other
   * machines can join ({@code ZProcWorker}, {@code ZProc.connect}); the context, its children and
   * the connection file then use the loopback form of the address ({@link ZProc#address()} is
   * {@code tcp://127.0.0.1:<port>}): tell other machines this host's name with that port. A
   * context's server always has a secret key (a random one unless {@link #secretKey(String)} says
   * which), but without TLS ({@link ServerOptions#tls} through {@link #serverOptions}) the key and
   * every value cross the network in clear: the context logs a warning when it serves beyond this
   * host without TLS.
   *
   * <p>{@code local:} addresses are refused at {@link ZProc#start(ZProcOptions)}: child JVMs could
   * not reach them.
   *
   * @throws IllegalArgumentException if blank; a malformed address fails at {@link
   *     ZProc#start(ZProcOptions)} with the accepted forms
   */
  public ZProcOptions bind(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException(
          "bind address is blank; give one like tcp://0.0.0.0:0 (every interface) or "
              + DEFAULT_BIND
              + " (this host only, the default)");
    }
    return new ZProcOptions(
        namespace,
        secretKey,
        tls,
        tlsTrust,
        connectTimeout,
        serverOptions,
        directPath,
        localSocket,
        spareProcesses,
        address.strip());
  }

  /** Where the embedded server listens (see {@link #bind(String)}). */
  public String bind() {
    return bind;
  }

  /** How many child JVMs are kept pre-started. */
  public int spareProcesses() {
    return spareProcesses;
  }

  /** Whether the in-JVM direct path is used. */
  public boolean directPath() {
    return directPath;
  }

  /** Whether the unix-domain socket shortcut is used. */
  public boolean localSocket() {
    return localSocket;
  }

  /** The namespace of the context's own state. */
  public String namespace() {
    return namespace;
  }

  /** The secret key, or null. */
  public @Nullable String secretKey() {
    return secretKey;
  }

  /** Whether to use TLS. */
  public boolean tls() {
    return tls;
  }

  /** The trusted certificates for TLS, or null for the JVM's. */
  public @Nullable Path tlsTrust() {
    return tlsTrust;
  }

  /** The connect timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The embedded server's options. */
  public ServerOptions serverOptions() {
    return serverOptions;
  }

  @Override
  public String toString() {
    return "ZProcOptions[namespace="
        + namespace
        + ", secretKey="
        + (secretKey == null ? "none" : "***")
        + ", tls="
        + tls
        + ", connectTimeout="
        + connectTimeout
        + ", bind="
        + bind
        + "]";
  }
}
