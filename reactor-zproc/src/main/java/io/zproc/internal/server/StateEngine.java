package io.zproc.internal.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zproc.ServerOptions;
import io.zproc.internal.store.ReplicatedStore;
import io.zproc.rsocket.WireException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Collectors;
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
    this.epoch = newEpoch();
  }

  private final RequestStats stats = new RequestStats();

  /** What the sessions of this server did. */
  RequestStats stats() {
    return stats;
  }

  /** This server's run: random per start, never 0. Change events carry it. */
  long epoch() {
    return epoch;
  }

  /**
   * The namespace of that name, made if new.
   *
   * @throws WireException {@code LIMIT_EXCEEDED} when a new one would pass {@code maxNamespaces}
   */
  Namespace namespace(String name) {
    Namespace ns = namespaces.get(name);
    if (ns != null) {
      return ns;
    }
    Namespace[] made = new Namespace[1];
    ns =
        namespaces.computeIfAbsent(
            name,
            n -> {
              int max = options.maxNamespaces();
              if (namespaces.size() >= max) {
                throw new WireException(
                    WireException.LIMIT_EXCEEDED,
                    "the server has "
                        + max
                        + " namespaces, its limit (maxNamespaces); drop those no longer needed"
                        + " (State.drop()), or raise the limit");
              }
              // Each namespace has its own run: a watcher resuming across a drop, as across a
              // restart, is told its changes are lost instead of skipping the new one's first ones.
              return made[0] =
                  new Namespace(
                      n, options.journalSize(), options.journalBytes(), clock, newEpoch());
            });
    if (made[0] != null) {
      for (Consumer<String> observer : observers) {
        observer.accept(name);
      }
    }
    return ns;
  }

  /**
   * Makes {@code loaded} the namespace of that name in place of {@code replacing} (null: none),
   * which is dropped; if another took the place meanwhile, keeps that one.
   *
   * @return the namespace of that name now
   * @throws WireException {@code LIMIT_EXCEEDED} when a new one would pass {@code maxNamespaces}
   */
  Namespace install(String name, Namespace loaded, @Nullable Namespace replacing) {
    if (replacing == null && namespaces.size() >= options.maxNamespaces()) {
      namespace(name); // the limit's error, or the namespace another made meanwhile
    }
    Namespace now =
        namespaces.compute(name, (n, current) -> current == replacing ? loaded : current);
    if (now == loaded) {
      if (replacing != null) {
        replacing.drop();
      }
      for (Consumer<String> observer : observers) {
        observer.accept(name);
      }
    }
    return Objects.requireNonNull(now);
  }

  /** Forgets a namespace if it is still {@code ns}, as {@link #drop(String)}. */
  boolean drop(String name, Namespace ns) {
    if (!namespaces.remove(name, ns)) {
      return false;
    }
    ns.drop();
    return true;
  }

  private @Nullable ReplicatedOps replicated;

  /** Serves this engine's namespaces as replicas of a store's from now on (before serving). */
  void replicate(ReplicatedStore store) {
    Replica replica = new Replica(this, store, clock);
    replicated = new ReplicatedOps(this, replica, clock);
  }

  /** The replicated operations, or null for the memory store. */
  @Nullable ReplicatedOps replicated() {
    return replicated;
  }

  /** Stops following the store and closes it (memory: nothing). */
  void close() {
    ReplicatedOps r = replicated;
    if (r != null) {
      r.close();
    }
  }

  /** Forgets a namespace and ends its watches and atomic waits; false if there was none. */
  boolean drop(String name) {
    Namespace ns = namespaces.remove(name);
    if (ns == null) {
      return false;
    }
    ns.drop();
    return true;
  }

  /** Not SecureRandom: an epoch tells runs apart, it guards nothing. Never 0. */
  private static long newEpoch() {
    long e;
    do {
      e = ThreadLocalRandom.current().nextLong();
    } while (e == 0);
    return e;
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

  /**
   * The names of the namespaces made so far and not dropped, sorted, without the library's own
   * ({@value #LIBRARY_PREFIX}...).
   */
  List<String> names() {
    return visible(namespaces.keySet());
  }

  /** The names a user sees: sorted, without the library's own. */
  static List<String> visible(Collection<String> names) {
    return names.stream()
        .filter(n -> !n.startsWith(LIBRARY_PREFIX))
        .sorted()
        .collect(Collectors.toList());
  }

  /** The reply of {@code namespaces}: the visible names as an array. */
  static ArrayNode namesReply(Collection<String> names) {
    ArrayNode reply = JsonNodeFactory.instance.arrayNode();
    visible(names).forEach(reply::add);
    return reply;
  }

  /** The prefix of the namespaces the library uses for itself (a spare's warm-up). */
  static final String LIBRARY_PREFIX = "zproc.internal.";

  /** Every namespace made so far. */
  Iterable<Namespace> namespaces() {
    return namespaces.values();
  }

  ServerOptions options() {
    return options;
  }
}
