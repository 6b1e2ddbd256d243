package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.WireException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * A server-side watch: a cursor into one namespace's journal, not a buffer. It emits the changes
 * after its cursor only as far as the subscriber's demand allows; a stalled subscriber costs one
 * cursor. Drains run on whichever thread requests or mutates, serialized by a work-in-progress
 * counter, and never under the namespace's lock.
 */
final class Watch {
  private static final AtomicIntegerFieldUpdater<Watch> WIP =
      AtomicIntegerFieldUpdater.newUpdater(Watch.class, "wip");

  /** What a watch emits. */
  interface Filter {
    boolean accept(ChangeRecord record);

    /**
     * Whether a keyed watch now needs every change, not only those of its keys: a {@code when*}
     * wait whose key passes its test after a change it may not answer (its own client's) fires at
     * the next change by another, of any key.
     */
    default boolean wantsEveryChange() {
      return false;
    }
  }

  private final Namespace namespace;
  private final FluxSink<JsonNode> sink;
  private final Filter filter;
  private final boolean withSnapshot;
  private final boolean once;
  private volatile int wip;
  private long cursor;
  private boolean done;

  /** The keys this watch wants changes of, or null for any change (tested on every change). */
  private final String @Nullable [] keys;

  /**
   * Whether this watch has read every change up to the version it last saw as the newest: then,
   * keyed, it can skip the changes it was not woken for, which touch none of its keys. Written and
   * read by drains only (serialized).
   */
  private boolean caughtUp;

  /**
   * Whether this keyed watch asked to be woken by every change (written by drains only; read when
   * it is removed, after its last drain).
   */
  private volatile boolean widened;

  /**
   * Whether this watch has left its namespace: a drain that widens it afterwards takes it out of
   * the unkeyed set again (see {@link Namespace#widen}).
   */
  volatile boolean removed;

  /**
   * The oldest version among the changes this watch was woken for and has not read yet; {@code
   * Long.MAX_VALUE} for none. Set by the namespace (under its lock) before it publishes the version
   * as signaled.
   */
  private final AtomicLong woken = new AtomicLong(Long.MAX_VALUE);

  private Watch(
      Namespace namespace,
      FluxSink<JsonNode> sink,
      long cursor,
      String @Nullable [] keys,
      Filter filter,
      boolean withSnapshot,
      boolean once) {
    this.keys = keys;
    this.namespace = namespace;
    this.sink = sink;
    this.cursor = cursor;
    this.filter = filter;
    this.withSnapshot = withSnapshot;
    this.once = once;
  }

  /**
   * The changes after a version that pass the filter, in version order. A watch of given keys is
   * found through the namespace's key index and woken only for changes of those keys (its filter
   * must accept no other).
   *
   * @param after the cursor: changes after this version; a negative value means "from now"
   * @param keys the keys the filter looks at, or null if it may accept any change
   * @param withSnapshot whether each element also carries the namespace as it was right after that
   *     change ({"change": event, "snap": {"ver", "m"}})
   * @param once whether to complete after the first element
   * @param budget the connection's budget of open watches
   */
  static Flux<JsonNode> changes(
      Namespace namespace,
      long after,
      String @Nullable [] keys,
      Filter filter,
      boolean withSnapshot,
      boolean once,
      Budget budget) {
    return Flux.create(
        sink -> {
          if (!budget.take()) {
            sink.error(budget.exceeded());
            return;
          }
          long start = after < 0 ? namespace.version() : after;
          Watch watch = new Watch(namespace, sink, start, keys, filter, withSnapshot, once);
          if (keys != null && filter.wantsEveryChange()) {
            // already armed: the next change of any key may answer it
            watch.widened = true;
            namespace.widen(watch);
          }
          // Register before the dispose hook: a cancel racing with this callback then runs the
          // hook after the registration (or at once, if already cancelled), and nothing leaks.
          namespace.addWatch(watch);
          // one hook: a sink keeps only the first onDispose it is given
          sink.onDispose(
              () -> {
                watch.removed = true;
                namespace.removeWatch(watch, watch.widened);
                budget.give();
              });
          sink.onRequest(n -> watch.drain());
          watch.drain();
        },
        FluxSink.OverflowStrategy.ERROR);
  }

  /** How many watches one connection may hold open; one budget per connection. */
  static final class Budget {
    private final AtomicInteger open = new AtomicInteger();
    private final int max;

    Budget(int max) {
      this.max = max;
    }

    boolean take() {
      if (open.incrementAndGet() > max) {
        open.decrementAndGet();
        return false;
      }
      return true;
    }

    void give() {
      open.decrementAndGet();
    }

    WireException exceeded() {
      return new WireException(
          WireException.LIMIT_EXCEEDED,
          "this connection has "
              + max
              + " change streams and when* waits open, the server's limit"
              + " (maxWatchesPerConnection); cancel those no longer needed, or raise the limit");
    }
  }

  /** The keys this watch wants, or null for any change. */
  String @Nullable [] keys() {
    return keys;
  }

  /** Notes a change of one of its keys at {@code version}; the caller then drains. */
  void wokenAt(long version) {
    woken.accumulateAndGet(version, Math::min);
  }

  /** Ends the watch with an error (its namespace was dropped). */
  void fail(Throwable error) {
    sink.error(error);
  }

  void drain() {
    if (WIP.getAndIncrement(this) != 0) {
      return;
    }
    int missed = 1;
    for (; ; ) {
      if (!done) {
        emit();
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void emit() {
    try {
      if (keys != null && !widened) {
        skipUnwoken();
      }
      while (!sink.isCancelled() && sink.requestedFromDownstream() > 0) {
        ChangeRecord record = namespace.recordAfter(cursor);
        if (record == null) {
          caughtUp = true;
          return;
        }
        cursor = record.version;
        caughtUp = false;
        if (!filter.accept(record)) {
          if (keys != null && !widened && filter.wantsEveryChange()) {
            widened = true;
            namespace.widen(this);
          }
          continue;
        }
        sink.next(element(record));
        if (once) {
          done = true;
          sink.complete();
          return;
        }
      }
      // stopped for want of demand: there may be changes after the cursor it has not read
      caughtUp = false;
    } catch (RuntimeException e) {
      done = true;
      sink.error(e);
    }
  }

  /**
   * Moves a keyed, caught-up watch's cursor past the changes it was not woken for. Every change of
   * one of its keys up to the namespace's signaled version has set {@link #woken} before that
   * version was published; so below the oldest such change (or, without one, up to that version) no
   * change touches its keys. The changes skipped are never read: a quiet key's watcher costs
   * nothing per change of other keys, and its cursor never falls out of the journal.
   */
  private void skipUnwoken() {
    long signaled = namespace.signaled();
    long first = woken.getAndSet(Long.MAX_VALUE);
    if (!caughtUp) {
      if (first != Long.MAX_VALUE) {
        // not caught up: read everything from the cursor; keep the note for the next drain
        wokenAt(first);
      }
      return;
    }
    long skipTo = first == Long.MAX_VALUE ? signaled : Math.min(first - 1, signaled);
    if (skipTo > cursor) {
      cursor = skipTo;
    }
  }

  private JsonNode element(ChangeRecord record) {
    return withSnapshot ? namespace.changeWithSnapshot(record) : record.event();
  }
}
