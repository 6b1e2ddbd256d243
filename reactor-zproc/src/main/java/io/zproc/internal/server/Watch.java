package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.rsocket.WireException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
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
  }

  private final Namespace namespace;
  private final FluxSink<JsonNode> sink;
  private final Filter filter;
  private final boolean withSnapshot;
  private final boolean once;
  private volatile int wip;
  private long cursor;
  private boolean done;

  private Watch(
      Namespace namespace,
      FluxSink<JsonNode> sink,
      long cursor,
      Filter filter,
      boolean withSnapshot,
      boolean once) {
    this.namespace = namespace;
    this.sink = sink;
    this.cursor = cursor;
    this.filter = filter;
    this.withSnapshot = withSnapshot;
    this.once = once;
  }

  /**
   * The changes after a version that pass the filter, in version order.
   *
   * @param after the cursor: changes after this version; a negative value means "from now"
   * @param withSnapshot whether each element also carries the namespace as it was right after that
   *     change ({"change": event, "snap": {"ver", "m"}})
   * @param once whether to complete after the first element
   */
  static Flux<JsonNode> changes(
      Namespace namespace,
      long after,
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
          Watch watch = new Watch(namespace, sink, start, filter, withSnapshot, once);
          // Register before the dispose hook: a cancel racing with this callback then runs the
          // hook after the registration (or at once, if already cancelled), and nothing leaks.
          namespace.addWatch(watch);
          // one hook: a sink keeps only the first onDispose it is given
          sink.onDispose(
              () -> {
                namespace.removeWatch(watch);
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
      while (!sink.isCancelled() && sink.requestedFromDownstream() > 0) {
        ChangeRecord record = namespace.recordAfter(cursor);
        if (record == null) {
          return;
        }
        cursor = record.version;
        if (!filter.accept(record)) {
          continue;
        }
        sink.next(element(record));
        if (once) {
          done = true;
          sink.complete();
          return;
        }
      }
    } catch (RuntimeException e) {
      done = true;
      sink.error(e);
    }
  }

  private JsonNode element(ChangeRecord record) {
    ObjectNode event = record.event();
    if (!withSnapshot) {
      return event;
    }
    ObjectNode element = event.objectNode();
    element.set("change", event);
    element.set("snap", namespace.snapshotAt(record.version));
    return element;
  }
}
