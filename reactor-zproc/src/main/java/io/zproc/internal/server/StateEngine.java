package io.zproc.internal.server;

import io.zproc.ServerOptions;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Every namespace of one server, made on first use. Thread-safe. */
final class StateEngine {
  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final ServerOptions options;
  private final Clock clock;
  private final long epoch;

  StateEngine(ServerOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    // Not SecureRandom: the epoch tells restarts apart, it guards nothing.
    long e;
    do {
      e = ThreadLocalRandom.current().nextLong();
    } while (e == 0);
    this.epoch = e;
  }

  /** This server's run: random per start, never 0. Change events carry it. */
  long epoch() {
    return epoch;
  }

  Namespace namespace(String name) {
    Namespace ns = namespaces.get(name);
    if (ns != null) {
      return ns;
    }
    return namespaces.computeIfAbsent(
        name, n -> new Namespace(n, options.journalSize(), options.journalBytes(), clock, epoch));
  }

  /** Every namespace made so far. */
  Iterable<Namespace> namespaces() {
    return namespaces.values();
  }

  ServerOptions options() {
    return options;
  }
}
