package io.zproc.internal.server;

import io.zproc.rsocket.WireServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Read-only figures of one server, for monitoring: its connections, namespaces, watches and
 * journals, read at the moment of the call. Not a place to count anything (nothing here is on a
 * request's path); the {@code io.zproc.metrics} binder reads it.
 *
 * <p>Thread-safe; every method is non-blocking (a journal figure holds its namespace's monitor for
 * a moment).
 */
public final class ServerStats {
  private final StateEngine engine;
  private final WireServer wire;

  ServerStats(StateEngine engine, WireServer wire) {
    this.engine = engine;
    this.wire = wire;
  }

  /** The connections open now, of every transport (a lane shares its connection's count). */
  public int connections() {
    return wire.connectionCount();
  }

  /** How many namespaces the server holds (made on first use, never dropped). */
  public int namespaces() {
    return engine.namespaceCount();
  }

  /** The names of the namespaces made so far, in no particular order. */
  public List<String> namespaceNames() {
    List<String> names = new ArrayList<>();
    for (Namespace ns : engine.namespaces()) {
      names.add(ns.name);
    }
    return names;
  }

  /** The open watches (change streams and waiting {@code when*} calls) of every namespace. */
  public int watches() {
    int n = 0;
    for (Namespace ns : engine.namespaces()) {
      n += ns.watchCount();
    }
    return n;
  }

  /** How many changes a namespace's journal holds now; 0 for a namespace not made. */
  public int journalChanges(String namespace) {
    Namespace ns = engine.find(namespace);
    return ns == null ? 0 : ns.journalSize();
  }

  /** The estimated bytes of a namespace's journal now; 0 for a namespace not made. */
  public long journalBytes(String namespace) {
    Namespace ns = engine.find(namespace);
    return ns == null ? 0 : ns.journalBytes();
  }

  /** The operations whose requests are counted by name; others are counted as {@code other}. */
  public static List<String> operations() {
    List<String> all = new ArrayList<>();
    RequestStats.OPS.forEach(op -> all.add(op.wireName()));
    all.add(RequestStats.OTHER);
    return all;
  }

  /** Requests of an operation served so far (streams counted when opened). */
  public long requests(String op) {
    return engine.stats().op(op).count.sum();
  }

  /**
   * Nanoseconds spent serving an operation's requests so far, on the serving thread (for a wait:
   * setting it up, not waiting).
   */
  public long requestNanos(String op) {
    return engine.stats().op(op).nanos.sum();
  }

  /** Callers of {@code atomic} that had to wait for the lock, so far. */
  public long atomicWaits() {
    return engine.stats().atomicWaits.sum();
  }

  /** Atomic commits refused because what they read had changed (the task runs again), so far. */
  public long atomicConflicts() {
    return engine.stats().atomicConflicts.sum();
  }

  /** Connections refused at setup (wrong key, past maxConnections, malformed), so far. */
  public long rejectedSetups() {
    return wire.rejectedSetups();
  }

  /**
   * Tells {@code observer} the name of every namespace made from now on, on the thread that made it
   * (a transport thread: it must not block).
   *
   * @return removes the observer (idempotent)
   */
  public Runnable observeNamespaces(Consumer<String> observer) {
    return engine.observeNamespaces(Objects.requireNonNull(observer, "observer"));
  }
}
