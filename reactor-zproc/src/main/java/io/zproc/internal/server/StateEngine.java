package io.zproc.internal.server;

import io.zproc.ServerOptions;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Every namespace of one server, made on first use. Thread-safe. */
final class StateEngine {
  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  private final ServerOptions options;
  private final Clock clock;
  private final long epoch;
  private final CopyOnWriteArrayList<Consumer<String>> observers = new CopyOnWriteArrayList<>();

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
    Namespace[] made = new Namespace[1];
    ns =
        namespaces.computeIfAbsent(
            name,
            n ->
                made[0] =
                    new Namespace(n, options.journalSize(), options.journalBytes(), clock, epoch));
    if (made[0] != null) {
      for (Consumer<String> observer : observers) {
        observer.accept(name);
      }
    }
    return ns;
  }

  /** The namespace of that name if it was made, else null (never makes one). */
  @Nullable Namespace find(String name) {
    return namespaces.get(name);
  }

  int namespaceCount() {
    return namespaces.size();
  }

  /**
   * Tells {@code observer} the name of every namespace made from now on, on the thread that made
   * it, outside any lock.
   *
   * @return removes the observer
   */
  Runnable observeNamespaces(Consumer<String> observer) {
    observers.add(observer);
    return () -> observers.remove(observer);
  }

  /** Every namespace made so far. */
  Iterable<Namespace> namespaces() {
    return namespaces.values();
  }

  ServerOptions options() {
    return options;
  }
}
