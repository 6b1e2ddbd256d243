package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.internal.store.ReplicatedStore;
import io.zproc.rsocket.WireException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps a server's namespaces as replicas of a {@link ReplicatedStore}'s: loads a namespace on its
 * first use (its entries in order, version, epoch and journal tail), applies the changes other
 * servers commit as their bells ring (and, as a safety net, every second for the namespaces someone
 * watches), and catches a namespace up before a read. Applying a change goes through {@link
 * #apply}, then {@link Namespace#signal}: watchers wake as for a local change.
 *
 * <p>Not the store's client for writes ({@link ReplicatedOps} is); never blocks: everything runs on
 * the store's I/O threads or the caller's.
 */
final class Replica {
  private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final StateEngine engine;
  private final ReplicatedStore store;
  private final Clock clock;
  private final ConcurrentHashMap<String, AtomicInteger> following = new ConcurrentHashMap<>();
  private final Disposable bells;
  private final Disposable poll;

  Replica(StateEngine engine, ReplicatedStore store, Clock clock) {
    this.engine = engine;
    this.store = store;
    this.clock = clock;
    this.bells =
        store
            .bells()
            .subscribe(this::rang, e -> LOG.warn("the store's bells stopped: {}", e.toString()));
    this.poll =
        Flux.interval(POLL, POLL, Schedulers.parallel())
            .subscribe(
                tick -> {
                  for (Namespace ns : engine.namespaces()) {
                    if (ns.watchCount() > 0) {
                      follow(ns.name);
                    }
                  }
                });
  }

  ReplicatedStore store() {
    return store;
  }

  void close() {
    poll.dispose();
    bells.dispose();
  }

  private void rang(ReplicatedStore.Bell bell) {
    Namespace ns = engine.find(bell.namespace());
    if (ns == null) {
      return;
    }
    if (bell.version() < 0) {
      if (bell.epoch() == ns.epoch()) {
        engine.drop(bell.namespace(), ns);
        following.remove(bell.namespace());
      }
      return;
    }
    if (bell.version() > ns.version()) {
      follow(bell.namespace());
    }
  }

  /** Catches a namespace up in the background; calls while one runs make it run once more. */
  private void follow(String name) {
    AtomicInteger wip = following.computeIfAbsent(name, n -> new AtomicInteger());
    if (wip.getAndIncrement() == 0) {
      drain(name, wip);
    }
  }

  private void drain(String name, AtomicInteger wip) {
    int missed = wip.get();
    sync(name)
        .subscribe(
            ns -> {},
            e -> {
              LOG.debug("catching up namespace '{}' failed: {}", name, e.toString());
              if (wip.addAndGet(-missed) > 0) {
                drain(name, wip);
              }
            },
            () -> {
              if (wip.addAndGet(-missed) > 0) {
                drain(name, wip);
              }
            });
  }

  /**
   * The namespace, loaded if this server did not hold it, caught up with the store: every change
   * committed before the call is in it (one round trip, more if it was far behind).
   */
  Mono<Namespace> sync(String name) {
    Namespace known = engine.find(name);
    long after = known == null ? -1 : known.version();
    int max = engine.options().journalSize();
    return store
        .read(name, after, newEpoch(), max)
        .flatMap(
            stored -> {
              Namespace ns = apply(name, known, stored);
              if (ns == null) {
                // another run of the namespace: read it whole
                return store.read(name, -1, newEpoch(), max).map(full -> apply(name, known, full));
              }
              if (ns.version() < stored.version()) {
                if (ns.version() == after) {
                  // nothing applied: the log does not go on from here (never expected)
                  return Mono.error(
                      new WireException(
                          WireException.INTERNAL,
                          "namespace '"
                              + name
                              + "' cannot catch up with its store: the log does not follow"
                              + " version "
                              + after));
                }
                return sync(name); // more than one read's worth behind
              }
              return Mono.just(ns);
            });
  }

  /**
   * Applies what the store said to the namespace this server holds (or installs it); null when that
   * takes a full read (another run, and no entries in this answer).
   */
  private @Nullable Namespace apply(
      String name, @Nullable Namespace known, ReplicatedStore.Stored stored) {
    Namespace current = engine.find(name);
    if (current != null && current.epoch() == stored.epoch()) {
      if (stored.full()) {
        if (stored.version() != current.version()) {
          // so far behind that the log no longer has what it missed, or Redis went back in time
          // (restored from an older snapshot): the store's state wins, watchers start anew
          return engine.install(name, load(name, stored), current);
        }
        return current;
      }
      for (byte[] bytes : stored.records()) {
        ReplicaCodec.Decoded d = ReplicaCodec.record(bytes, stored.epoch());
        apply(current, d.record(), d.reset());
      }
      current.signal();
      return current;
    }
    if (!stored.full()) {
      return null;
    }
    return engine.install(name, load(name, stored), current);
  }

  /** A namespace as the store has it whole; not yet the server's. */
  private Namespace load(String name, ReplicatedStore.Stored stored) {
    Namespace ns =
        new Namespace(
            name,
            engine.options().journalSize(),
            engine.options().journalBytes(),
            clock,
            stored.epoch());
    List<ChangeRecord> records = new ArrayList<>();
    for (byte[] bytes : stored.records()) {
      records.add(ReplicaCodec.record(bytes, stored.epoch()).record());
    }
    boolean contiguous =
        !records.isEmpty() && records.get(records.size() - 1).version == stored.version();
    for (int i = 1; contiguous && i < records.size(); i++) {
      contiguous = records.get(i).version == records.get(i - 1).version + 1;
    }
    synchronized (ns) {
      for (int i = 0; i < stored.keys().size(); i++) {
        JsonNode value = ReplicaCodec.value(stored.values().get(i));
        ns.data.put(stored.keys().get(i), value, 0);
      }
      if (contiguous) {
        for (ChangeRecord r : records) {
          ns.journal.add(r);
        }
      }
      ns.version = stored.version();
      ns.signaled = stored.version();
    }
    return ns;
  }

  /**
   * Applies a change committed through the store to a namespace if it is the next version; the
   * caller signals after. Returns whether it was applied.
   */
  static boolean apply(Namespace ns, ChangeRecord r, boolean reset) {
    synchronized (ns) {
      if (r.version != ns.version + 1) {
        return false;
      }
      if (reset) {
        ns.data.clear(r.version);
      }
      for (int i = 0; i < r.keys.length; i++) {
        JsonNode after = r.after[i];
        if (after == null) {
          ns.data.remove(r.keys[i], r.version);
        } else {
          ns.data.put(r.keys[i], after, r.version);
        }
      }
      ns.version = r.version;
      ns.journal.add(r);
      ns.trees.changing(r.keys, r.before);
      return true;
    }
  }

  /** A new namespace's run, should the store have none: random, never 0. */
  private static long newEpoch() {
    long e;
    do {
      e = ThreadLocalRandom.current().nextLong();
    } while (e == 0);
    return e;
  }
}
