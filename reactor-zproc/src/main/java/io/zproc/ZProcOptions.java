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
          1);

  private final String namespace;
  private final @Nullable String secretKey;
  private final boolean tls;
  private final @Nullable Path tlsTrust;
  private final Duration connectTimeout;
  private final ServerOptions serverOptions;
  private final boolean directPath;
  private final boolean localSocket;
  private final int spareProcesses;

  private ZProcOptions(
      String namespace,
      @Nullable String secretKey,
      boolean tls,
      @Nullable Path tlsTrust,
      Duration connectTimeout,
      ServerOptions serverOptions,
      boolean directPath,
      boolean localSocket,
      int spareProcesses) {
    this.namespace = namespace;
    this.secretKey = secretKey;
    this.tls = tls;
    this.tlsTrust = tlsTrust;
    this.connectTimeout = connectTimeout;
    this.serverOptions = serverOptions;
    this.directPath = directPath;
    this.localSocket = localSocket;
    this.spareProcesses = spareProcesses;
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
        spareProcesses);
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
        spareProcesses);
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
        spareProcesses);
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
        spareProcesses);
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
        spareProcesses);
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
        spareProcesses);
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
        spareProcesses);
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
        count);
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
        + "]";
  }
}
