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
 */
public record WireClientOptions(
    @Nullable String secretKey,
    boolean tls,
    @Nullable Path tlsTrust,
    boolean direct,
    boolean localSocket,
    Duration connectTimeout,
    String clientName) {

  public WireClientOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(clientName, "clientName");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
    }
  }

  /** No key, no TLS, direct and local-socket paths on, a 10 s connect timeout. */
  public static WireClientOptions defaults() {
    return new WireClientOptions(null, false, null, true, true, Duration.ofSeconds(10), "");
  }

  /** A copy with this secret key. */
  public WireClientOptions withSecretKey(@Nullable String key) {
    return new WireClientOptions(
        key, tls, tlsTrust, direct, localSocket, connectTimeout, clientName);
  }

  /** A copy using TLS, trusting these PEM certificates ({@code null}: the JVM's trust store). */
  public WireClientOptions withTls(@Nullable Path trust) {
    return new WireClientOptions(
        secretKey, true, trust, direct, localSocket, connectTimeout, clientName);
  }

  /** A copy with the in-JVM direct path on or off. */
  public WireClientOptions withDirect(boolean enabled) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, enabled, localSocket, connectTimeout, clientName);
  }

  /** A copy with the unix-socket shortcut on or off. */
  public WireClientOptions withLocalSocket(boolean enabled) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, enabled, connectTimeout, clientName);
  }

  /** A copy with this connect timeout. */
  public WireClientOptions withConnectTimeout(Duration timeout) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, localSocket, timeout, clientName);
  }

  /** A copy with this client name. */
  public WireClientOptions withClientName(String name) {
    return new WireClientOptions(
        secretKey, tls, tlsTrust, direct, localSocket, connectTimeout, name);
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
        + "]";
  }
}
