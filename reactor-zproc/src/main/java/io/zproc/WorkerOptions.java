package io.zproc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link ZProcWorker} joins its server and what it accepts: the server's secret key, how many
 * batches it runs at once, which classes its tasks and items may be, and TLS. Immutable: each
 * wither returns a changed copy.
 *
 * <pre>{@code
 * WorkerOptions.defaults().secretKey(key).slots(4).allow("com.acme.**")
 * }</pre>
 */
public final class WorkerOptions {
  /** The most slots a worker may have. */
  public static final int MAX_SLOTS = 1024;

  private static final WorkerOptions DEFAULTS =
      new WorkerOptions(null, 0, List.of(), false, null, Duration.ofSeconds(10));

  private final @Nullable String secretKey;
  private final int slots;
  private final List<String> allowed;
  private final boolean tls;
  private final @Nullable Path tlsTrust;
  private final Duration connectTimeout;

  private WorkerOptions(
      @Nullable String secretKey,
      int slots,
      List<String> allowed,
      boolean tls,
      @Nullable Path tlsTrust,
      Duration connectTimeout) {
    this.secretKey = secretKey;
    this.slots = slots;
    this.allowed = allowed;
    this.tls = tls;
    this.tlsTrust = tlsTrust;
    this.connectTimeout = connectTimeout;
  }

  /**
   * No key (a server that {@code ZProc.start()} runs for this OS user is found in its connection
   * file), one slot per available processor, only the library's classes allowed, no TLS, 10 s to
   * connect.
   */
  public static WorkerOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The server's secret key, sent at connection setup; the server refuses a worker without the
   * right one, as any client. By default none (then the connection file of a server that {@code
   * ZProc.start()} runs for this OS user on this host supplies it, if there is one).
   */
  public WorkerOptions secretKey(@Nullable String key) {
    return new WorkerOptions(key, slots, allowed, tls, tlsTrust, connectTimeout);
  }

  /**
   * How many batches the worker runs at once (one thread each). By default the number of available
   * processors.
   *
   * @param count 1 to {@value #MAX_SLOTS}
   * @throws IllegalArgumentException if out of range
   */
  public WorkerOptions slots(int count) {
    if (count < 1 || count > MAX_SLOTS) {
      throw new IllegalArgumentException(
          "slots must be between 1 and " + MAX_SLOTS + " batches at once, got " + count);
    }
    return new WorkerOptions(secretKey, count, allowed, tls, tlsTrust, connectTimeout);
  }

  /**
   * Adds classes that the tasks and items this worker receives may be, as {@link
   * java.io.ObjectInputFilter.Config#createFilter} patterns: {@code com.acme.**} (a package and its
   * sub-packages), {@code com.acme.*} (one package), {@code com.acme.Item} (one class), {@code
   * !com.acme.Bad} (refused, before later patterns). Besides these, only what the library needs is
   * accepted ({@code java.base} value types, a lambda's {@code SerializedLambda}, the {@code
   * io.zproc} types); a lambda's capturing class must be allowed too. A batch with a refused class
   * fails with an error naming the class and the pattern to add; the worker lives on.
   *
   * @throws IllegalArgumentException if a pattern is malformed
   * @throws NullPointerException if a pattern is null
   */
  public WorkerOptions allow(String... patterns) {
    List<String> all = new ArrayList<>(allowed);
    for (String p : patterns) {
      Objects.requireNonNull(p, "patterns must not contain null");
      if (p.isBlank() || p.contains(";") || p.contains("=")) {
        throw new IllegalArgumentException(
            "allow pattern '"
                + p
                + "' is not a class pattern: give one per argument, such as com.acme.** (a"
                + " package and its sub-packages), com.acme.* (one package) or com.acme.Item");
      }
      all.add(p);
    }
    return new WorkerOptions(secretKey, slots, List.copyOf(all), tls, tlsTrust, connectTimeout);
  }

  /**
   * Connects to {@code tcp://} and {@code ws://} servers over TLS, trusting the PEM certificates in
   * this file ({@code null}: the JVM's default trust store), as {@link ZProcOptions#tls(Path)}. By
   * default no TLS.
   */
  public WorkerOptions tls(@Nullable Path trustedCertificates) {
    return new WorkerOptions(secretKey, slots, allowed, true, trustedCertificates, connectTimeout);
  }

  /**
   * How long connecting (and joining) may take before {@link ZProcWorker#start} fails. By default
   * 10 seconds.
   *
   * @throws IllegalArgumentException if not positive
   */
  public WorkerOptions connectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
    }
    return new WorkerOptions(secretKey, slots, allowed, tls, tlsTrust, timeout);
  }

  /** The secret key, or null. */
  public @Nullable String secretKey() {
    return secretKey;
  }

  /** How many batches the worker runs at once: as set, or the number of available processors. */
  public int slots() {
    return slots > 0 ? slots : Math.min(MAX_SLOTS, Runtime.getRuntime().availableProcessors());
  }

  /** The patterns added with {@link #allow(String...)}, in order. */
  public List<String> allowed() {
    return allowed;
  }

  /** Whether the worker connects over TLS. */
  public boolean tls() {
    return tls;
  }

  /** The PEM file of trusted certificates, or null (the JVM's default trust store). */
  public @Nullable Path tlsTrust() {
    return tlsTrust;
  }

  /** How long connecting may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public String toString() {
    return "WorkerOptions[secretKey="
        + (secretKey == null ? "none" : "***")
        + ", slots="
        + slots()
        + ", allow="
        + allowed
        + ", tls="
        + tls
        + (tlsTrust == null ? "" : " (" + tlsTrust + ")")
        + "]";
  }
}
