package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.rsocket.WireException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * One namespace's atomic lock: who holds it, under which token, since when, and who waits for it in
 * turn. It only schedules (a commit is always checked against the journal, whoever holds the lock):
 * it spares contending tasks from running on a state that is about to change.
 *
 * <p>Guarded by the namespace's monitor (the {@code monitor} given here): {@link #begin}, {@link
 * #release}, {@link #releaseOwner} and {@link #clear} take it; {@link #holds}, {@link #renew} and
 * {@link #handOff} are for a commit that holds it. The sweep, run on the given scheduler while
 * waiters wait, takes it too and hands the lock on from a holder past its lease. Times are the
 * given clock's nanoseconds, the same clock the callers pass their {@code nowNanos} from: tests
 * drive both with a virtual clock.
 */
final class AtomicLock {
  /**
   * How long a holder keeps the lock without committing before the next waiter gets it: it may have
   * died, or its task may be slow (it can still commit, checked like any commit).
   */
  static final long LEASE_NANOS = 50_000_000L;

  /** A waiter for the lock. */
  static final class Waiter {
    final Object owner;
    final MonoSink<JsonNode> sink;
    volatile boolean cancelled;

    Waiter(Object owner, MonoSink<JsonNode> sink) {
      this.owner = owner;
      this.sink = sink;
    }
  }

  /** The lock handed to a waiter, with the state it starts from; deliver outside the monitor. */
  record Grant(Waiter waiter, ObjectNode state) {
    void deliver() {
      waiter.sink.success(state);
    }
  }

  /** Who holds the lock: a session, under a token, since when. */
  private record Holder(long token, Object owner, long since) {}

  private final Object monitor;
  private final String namespace;
  private final LongFunction<ObjectNode> grantedState;
  private final @Nullable Scheduler sweeps;
  private final LongSupplier nanoClock;
  private @Nullable Holder holder;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private long tokens;
  private boolean sweeping;

  /**
   * @param monitor the namespace's monitor, held by every caller
   * @param namespace the namespace's name, for messages
   * @param grantedState the state a new holder starts from, with the lock's token ({"ver", "m",
   *     "tok"}), made under the monitor
   * @param sweeps where a sweep hands the lock on from a holder past its lease while others wait;
   *     null for none (the lock then passes on only when a caller says what time it is)
   * @param nanoClock the clock of the sweep, in nanoseconds
   */
  AtomicLock(
      Object monitor,
      String namespace,
      LongFunction<ObjectNode> grantedState,
      @Nullable Scheduler sweeps,
      LongSupplier nanoClock) {
    this.monitor = monitor;
    this.namespace = namespace;
    this.grantedState = grantedState;
    this.sweeps = sweeps;
    this.nanoClock = nanoClock;
  }

  /** Whether {@code token} is the current holder's. */
  boolean holds(long token) {
    return token != 0 && holder != null && holder.token == token;
  }

  /** The holder with {@code token} keeps the lock, from now (it runs again on a fresh state). */
  void renew(long token, long nowNanos) {
    Holder h = holder;
    if (h != null && h.token == token) {
      holder = new Holder(token, h.owner, nowNanos);
    }
  }

  /** Asks for the lock, with no limit on the waiters (see {@link #begin(Waiter, long, int)}). */
  @Nullable Grant begin(Waiter waiter, long nowNanos) {
    return begin(waiter, nowNanos, Integer.MAX_VALUE);
  }

  /**
   * Asks for the lock, with at most {@code maxWaiters} waiting in turn. Waiters get it in turn; a
   * holder that kept it past its lease loses it to the first waiter.
   *
   * @return who got the lock now, with the state and the lock's token (this waiter, or the first in
   *     the queue), or null if this waiter was queued behind a live holder
   * @throws WireException {@code LIMIT_EXCEEDED} if this waiter would have to queue behind {@code
   *     maxWaiters} others
   */
  @Nullable Grant begin(Waiter waiter, long nowNanos, int maxWaiters) {
    synchronized (monitor) {
      if (holder != null && nowNanos - holder.since <= LEASE_NANOS) {
        if (waiters.size() >= maxWaiters) {
          throw new WireException(
              WireException.LIMIT_EXCEEDED,
              maxWaiters
                  + " callers already wait for the atomic lock of namespace '"
                  + namespace
                  + "', the server's limit (maxAtomicWaiters); retry later, or raise the limit");
        }
        waiters.add(waiter);
        if (sweeps != null && !sweeping) {
          sweeping = true;
          sweeps.schedule(this::sweep, LEASE_NANOS, TimeUnit.NANOSECONDS);
        }
        return null;
      }
      if (waiters.isEmpty()) {
        holder = new Holder(++tokens, waiter.owner, nowNanos);
        return new Grant(waiter, grantedState.apply(holder.token));
      }
      waiters.add(waiter);
      return handOff(nowNanos);
    }
  }

  /** Gives up the lock held under {@code token}; returns the next holder, if any. */
  @Nullable Grant release(long token, long nowNanos) {
    synchronized (monitor) {
      if (holder == null || holder.token != token) {
        return null;
      }
      return handOff(nowNanos);
    }
  }

  /** Gives up every hold and wait of {@code owner}; returns the next holder, if any. */
  @Nullable Grant releaseOwner(Object owner, long nowNanos) {
    synchronized (monitor) {
      waiters.removeIf(w -> w.owner == owner);
      if (holder == null || holder.owner != owner) {
        return null;
      }
      return handOff(nowNanos);
    }
  }

  /** Forgets the holder and every waiter; returns the waiters, to be ended outside the monitor. */
  List<Waiter> clear() {
    synchronized (monitor) {
      List<Waiter> waiting = new ArrayList<>(waiters);
      waiters.clear();
      holder = null;
      return waiting;
    }
  }

  /** Passes the lock to the next waiter that has not gone; returns it, if any. */
  @Nullable Grant handOff(long nowNanos) {
    holder = null;
    Waiter next;
    while ((next = waiters.poll()) != null) {
      if (!next.cancelled) {
        holder = new Holder(++tokens, next.owner, nowNanos);
        return new Grant(next, grantedState.apply(holder.token));
      }
    }
    return null;
  }

  /** While waiters wait, hands the lock on from a holder that kept it past its lease. */
  private void sweep() {
    Grant grant = null;
    synchronized (monitor) {
      sweeping = false;
      long now = nanoClock.getAsLong();
      if (holder == null ? !waiters.isEmpty() : now - holder.since > LEASE_NANOS) {
        grant = handOff(now);
      }
      if (!waiters.isEmpty() && sweeps != null) {
        sweeping = true;
        long wait = holder == null ? LEASE_NANOS : LEASE_NANOS - (now - holder.since) + 1;
        sweeps.schedule(this::sweep, Math.max(wait, 1_000_000L), TimeUnit.NANOSECONDS);
      }
    }
    if (grant != null) {
      grant.deliver();
    }
  }
}
