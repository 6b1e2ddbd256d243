package io.zproc.internal.server;

import io.zproc.ServerOptions;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/** Every namespace of one server, made on first use. Thread-safe. */
final class StateEngine {
  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final ServerOptions options;
  private final Clock clock;

  StateEngine(ServerOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
  }

  Namespace namespace(String name) {
    Namespace ns = namespaces.get(name);
    if (ns != null) {
      return ns;
    }
    return namespaces.computeIfAbsent(
        name, n -> new Namespace(n, options.journalSize(), options.journalBytes(), clock));
  }

  /** Every namespace made so far. */
  Iterable<Namespace> namespaces() {
    return namespaces.values();
  }

  ServerOptions options() {
    return options;
  }
}
