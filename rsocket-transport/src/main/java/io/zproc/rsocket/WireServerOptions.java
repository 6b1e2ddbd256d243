package io.zproc.rsocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link WireServer} binds. Immutable; each wither returns a copy.
 *
 * @param secretKey the key every connection must present at setup, or {@code null} for none
 * @param maxFrameSize the largest request payload in bytes; larger ones get a {@link
 *     WireException#LIMIT_EXCEEDED} reply
 * @param tlsKeyStore a PKCS#12 key store with the server's key and certificate, or {@code null} for
 *     no TLS; applies to {@code tcp://} and {@code ws://}
 * @param tlsKeyStorePassword the key store's password
 * @param localSocket whether a {@code tcp://} server also listens on a unix-domain socket that
 *     clients on the same host use instead of TCP
 * @param allowedOrigins the web origins whose pages may open a {@code ws://} connection; a
 *     handshake with another {@code Origin} header is closed with 1008 before anything is read
 * @param limits what one connection, and all of them together, may cost the server
 * @param laneSpin how long the lane server's event loop (beside a {@code tcp://} server's local
 *     socket) polls for the next frame after answering a request that had waited, instead of
 *     sleeping; zero turns it off. By default 100 µs, or the system property {@code
 *     io.zproc.lane.serverSpinMicros}
 */
public record WireServerOptions(
    @Nullable String secretKey,
    int maxFrameSize,
    @Nullable Path tlsKeyStore,
    @Nullable String tlsKeyStorePassword,
    boolean localSocket,
    Set<String> allowedOrigins,
    Limits limits,
    Duration laneSpin) {

  /** The default largest request payload: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

  /** The smallest accepted {@link #maxFrameSize}: 1 KiB. */
  public static final int MIN_MAX_FRAME_SIZE = 1024;

  public WireServerOptions {
    if (maxFrameSize < MIN_MAX_FRAME_SIZE) {
      throw new IllegalArgumentException(
          "maxFrameSize must be at least "
              + MIN_MAX_FRAME_SIZE
              + " bytes, got "
              + maxFrameSize
              + "; large values need a larger frame, not a smaller one");
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(laneSpin, "laneSpin");
    if (laneSpin.isNegative()) {
      throw new IllegalArgumentException(
          "laneSpin must be zero (no polling) or positive, got " + laneSpin);
    }
  }

  /** Options with the lane's default polling window ({@link #laneSpin}). */
  public WireServerOptions(
      @Nullable String secretKey,
      int maxFrameSize,
      @Nullable Path tlsKeyStore,
      @Nullable String tlsKeyStorePassword,
      boolean localSocket,
      Set<String> allowedOrigins,
      Limits limits) {
    this(
        secretKey,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        allowedOrigins,
        limits,
        LaneDefaults.SERVER_SPIN);
  }

  /**
   * What connections may cost a server. A connection past a limit is refused or closed with an
   * error that names the limit; the server and its other connections go on.
   *
   * @param maxPendingBytesPerConnection the most bytes of replies and changes that may wait for one
   *     connection to read; past it the connection is closed (like Redis' {@code
   *     client-output-buffer-limit}). Keep it well above {@link #maxFrameSize}: a reply of that
   *     size waits whole
   * @param maxConnections the most open socket connections (lanes and the in-JVM path not counted);
   *     a setup past it is refused
   */
  public record Limits(long maxPendingBytesPerConnection, int maxConnections) {
    /** The default {@link #maxPendingBytesPerConnection}: 64 MiB. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;

    /** The default {@link #maxConnections}: 4,096. */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public Limits {
      if (maxPendingBytesPerConnection < 1024) {
        throw new IllegalArgumentException(
            "maxPendingBytesPerConnection must be at least 1024 bytes, got "
                + maxPendingBytesPerConnection);
      }
      if (maxConnections < 1) {
        throw new IllegalArgumentException(
            "maxConnections must be at least 1, got " + maxConnections);
      }
    }

    /** 64 MiB pending per connection, 4,096 connections. */
    public static Limits defaults() {
      return new Limits(DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_CONNECTIONS);
    }
  }

  /**
   * No secret key, 16 MiB frames, no TLS, a local socket beside {@code tcp://}, the lane server's
   * polling as its system property says (100 µs).
   */
  public static WireServerOptions defaults() {
    return new WireServerOptions(
        null, DEFAULT_MAX_FRAME_SIZE, null, null, true, Set.of(), Limits.defaults());
  }

  /** A copy with this secret key ({@code null} for none). */
  public WireServerOptions withSecretKey(@Nullable String key) {
    return new WireServerOptions(
        key,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        allowedOrigins,
        limits,
        laneSpin);
  }

  /** A copy with this frame limit. */
  public WireServerOptions withMaxFrameSize(int bytes) {
    return new WireServerOptions(
        secretKey,
        bytes,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        allowedOrigins,
        limits,
        laneSpin);
  }

  /** A copy serving TLS with this PKCS#12 key store. */
  public WireServerOptions withTls(Path keyStore, String password) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(password, "password");
    return new WireServerOptions(
        secretKey, maxFrameSize, keyStore, password, localSocket, allowedOrigins, limits, laneSpin);
  }

  /** A copy with or without the local socket beside {@code tcp://}. */
  public WireServerOptions withLocalSocket(boolean enabled) {
    return new WireServerOptions(
        secretKey,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        enabled,
        allowedOrigins,
        limits,
        laneSpin);
  }

  /** A copy allowing pages of these web origins to open {@code ws://} connections. */
  public WireServerOptions withAllowedOrigins(Set<String> origins) {
    return new WireServerOptions(
        secretKey,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        Set.copyOf(origins),
        limits,
        laneSpin);
  }

  /** A copy with these connection limits. */
  public WireServerOptions withLimits(Limits limits) {
    return new WireServerOptions(
        secretKey,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        allowedOrigins,
        Objects.requireNonNull(limits, "limits"),
        laneSpin);
  }

  /**
   * A copy with this lane server polling window.
   *
   * @throws IllegalArgumentException if {@code spin} is negative
   */
  public WireServerOptions withLaneSpin(Duration spin) {
    return new WireServerOptions(
        secretKey,
        maxFrameSize,
        tlsKeyStore,
        tlsKeyStorePassword,
        localSocket,
        allowedOrigins,
        limits,
        spin);
  }

  @Override
  public String toString() {
    return "WireServerOptions[secretKey="
        + (secretKey == null ? "none" : "***")
        + ", maxFrameSize="
        + maxFrameSize
        + ", tls="
        + (tlsKeyStore != null)
        + ", localSocket="
        + localSocket
        + ", allowedOrigins="
        + allowedOrigins
        + ", limits="
        + limits
        + ", laneSpin="
        + laneSpin
        + "]";
  }
}
