package io.zproc.rsocket.server;

import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.internal.LogLimiter;
import io.zproc.rsocket.internal.Setup;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to a server: the secret-key check every path makes (socket, lane, direct), and
 * the count of connections refused at setup. Thread-safe.
 */
final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private static final AtomicLong CONNECTION_IDS = new AtomicLong();

  private final LogLimiter keyRefusals = new LogLimiter(10_000_000_000L);
  private final LongAdder rejectedSetups = new LongAdder();
  private final @Nullable String secretKey;
  private final Supplier<WireAddress> address;

  /**
   * @param secretKey the key every connection must present, or null for none
   * @param address the server's address as bound now, for the log
   */
  Admission(@Nullable String secretKey, Supplier<WireAddress> address) {
    this.secretKey = secretKey;
    this.address = address;
  }

  /** A new connection id, unique in this JVM (socket connections and direct sessions alike). */
  static long nextConnectionId() {
    return CONNECTION_IDS.incrementAndGet();
  }

  /**
   * Checks a connection's key; a refusal is logged at warn, at most once every 10 s with the number
   * of refusals since (a client cannot flood the log by failing over and over).
   *
   * @throws WireException {@link WireException#UNAUTHORIZED} for a wrong or missing key
   */
  void checkKey(Setup setup, String transport) {
    try {
      setup.checkKey(secretKey);
    } catch (WireException e) {
      long refused = keyRefusals.tryAcquire(System.nanoTime());
      if (refused > 0) {
        log.warn(
            "refused a {} connection to {} (client '{}'): {} ({} refusal(s) since the last one"
                + " logged)",
            transport,
            address.get(),
            setup.name(),
            e.getMessage(),
            refused);
      }
      throw e;
    }
  }

  /** Counts a connection refused at setup. */
  void rejected() {
    rejectedSetups.increment();
  }

  /** Connections refused at setup so far: a wrong key, past the limit, malformed, too long. */
  long rejectedSetups() {
    return rejectedSetups.sum();
  }
}
