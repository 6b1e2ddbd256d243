package io.zproc.rsocket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link WireClient} connects. Immutable; each wither returns a copy.
 *
 * @param secretKey the key presented at setup, or {@code null} for none
 * @param tls whether {@code tcp://} and {@code ws://} connections use TLS
 * @param tlsTrust PEM certificates to trust for TLS, or {@code null} for the JVM's default trust
 * @param direct whether a server in this JVM is reached directly, without a socket
 * @param localSocket whether a {@code tcp://} server on this host is reached through its
 *     unix-domain socket when it has one
 * @param connectTimeout how long connecting may take
 * @param clientName a name the server may log, or empty
 * @param lane whether a same-host client of a {@code tcp://} server also opens the server's lane (a
 *     faster path for requests; see {@code io.zproc.rsocket.lane}); by default on, unless the
 *     system property {@code io.zproc.lane} is {@code false}. Applies only with {@link
 *     #localSocket}
 * @param laneSpin how long one calling thread of this JVM at a time polls the lane for its reply
 *     before sleeping (waking a sleeping thread can take longer than the round trip); zero turns
 *     polling off. By default 50 µs, or the system property {@code io.zproc.lane.spinMicros}
 */
public record WireClientOptions(
    @Nullable String secretKey,
    boolean tls,
    @Nullable Path tlsTrust,
    boolean direct,
    boolean localSocket,
    Duration connectTimeout,
    String clientName,
    boolean lane,
    Duration laneSpin) {

  public WireClientOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(clientName, "clientName");
    Objects.requireNonNull(laneSpin, "laneSpin");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
    }
    if (laneSpin.isNegative()) {
      throw new IllegalArgumentException(
          "laneSpin must be zero (no polling) or positive, got " + laneSpin);
    }
  }

  /** Options with the lane's default settings ({@link #lane}, {@link #laneSpin}). */
  public WireClientOptions(
      @Nullable String secretKey,
      boolean tls,
      @Nullable Path tlsTrust,
      boolean direct,
      boolean localSocket,
      Duration connectTimeout,
      String clientName) {
    this(
        secretKey,
        tls,
        tlsTrust,
        direct,
        localSocket,
        connectTimeout,
        clientName,
        LaneDefaults.ENABLED,
        LaneDefaults.CLIENT_SPIN);
  }

  /**
   * No key, no TLS, direct and local-socket paths on, a 10 s connect timeout, the lane as its
   * system properties say (on, 50 µs of polling).
   */
  public static WireClientOptions defaults() {
    return new WireClientOptions(null, false, null, true, true, Duration.ofSeconds(10), "");
  }

  /** A copy with this secret key. */
  public WireClientOptions withSecretKey(@Nullable String key) {
    return new WireClientOptions(
        key, tls, tlsTrust, direct, localSocket, connectTimeout, clientName, lane, laneSpin);
  }

  /** A copy using TLS, trusting these PEM certificates ({@code null}: the JVM's trust store). */
  public WireClientOptions withTls(@Nullable Path trust) {
    return new WireClientOptions(
        secretKey, true, trust, direct, localSocket, connectTimeout, clientName, lane, laneSpin);
  }

  /** A copy with the in-JVM direct path on or off. */
  public WireClientOptions withDirect(boolean enabled) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, enabled, localSocket, connectTimeout, clientName, lane, laneSpin);
  }

  /** A copy with the unix-socket shortcut on or off. */
  public WireClientOptions withLocalSocket(boolean enabled) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, enabled, connectTimeout, clientName, lane, laneSpin);
  }

  /** A copy with this connect timeout. */
  public WireClientOptions withConnectTimeout(Duration timeout) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, localSocket, timeout, clientName, lane, laneSpin);
  }

  /** A copy with this client name. */
  public WireClientOptions withClientName(String name) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, localSocket, connectTimeout, name, lane, laneSpin);
  }

  /** A copy with the lane on or off. */
  public WireClientOptions withLane(boolean enabled) {
    return new WireClientOptions(
        secretKey,
        tls,
        tlsTrust,
        direct,
        localSocket,
        connectTimeout,
        clientName,
        enabled,
        laneSpin);
  }

  /**
   * A copy with this lane polling window.
   *
   * @throws IllegalArgumentException if {@code spin} is negative
   */
  public WireClientOptions withLaneSpin(Duration spin) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, localSocket, connectTimeout, clientName, lane, spin);
  }

  @Override
  public String toString() {
    return "WireClientOptions[secretKey="
        + (secretKey == null ? "none" : "***")
        + ", tls="
        + tls
        + ", direct="
        + direct
        + ", localSocket="
        + localSocket
        + ", connectTimeout="
        + connectTimeout
        + ", lane="
        + lane
        + ", laneSpin="
        + laneSpin
        + "]";
  }
}
