package io.zproc.bench;

import io.zproc.AtomicTask;
import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The loops of {@link WatchBench}, shared by the server's JVM and the {@link WatchClient} JVMs: the
 * watch round trip (both sides), change fan-out, a stalled watcher, atomic and increment.
 */
final class WatchLoops {
  /** A's key: "go on with round i". */
  static final String GO = "go";

  /** B's key: "round i done". */
  static final String ACK = "ack";

  /** The counter of the atomic and increment loops. */
  static final String COUNTER = "n";

  /** Long enough to mean "the other side is gone", never reached in a healthy run. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private WatchLoops() {}

  /**
   * A's side of the watch round trip, for {@code millis}: sets {@code go=i}, then waits with {@code
   * whenEqual(ack, i)} until B answered; every round trip is timed. {@code next} carries {@code i}
   * over from round to round (B counts along).
   */
  static Measurement roundTrips(State a, AtomicInteger next, long millis) {
    return Loops.blocking(
        ignored -> {
          int i = next.incrementAndGet();
          a.put(GO, i).block(TIMEOUT);
          if (a.whenEqual(ACK, i).block(TIMEOUT) == null) {
            throw new IllegalStateException("whenEqual completed empty");
          }
        },
        millis);
  }

  /**
   * As {@link #roundTrips}, but A subscribes {@code whenEqual(ack, i)} before it sets {@code go=i}
   * ({@code Mono.when}), so the watcher's set-up overlaps the write and B's answer.
   */
  static Measurement overlappedRoundTrips(State a, AtomicInteger next, long millis) {
    return Loops.blocking(
        ignored -> {
          int i = next.incrementAndGet();
          Mono.when(a.whenEqual(ACK, i), a.put(GO, i)).block(TIMEOUT);
        },
        millis);
  }

  /** B's side of the watch round trip, running until its JVM ends. */
  static final class Responder {
    final String mode;
    final AtomicLong answered = new AtomicLong();
    final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();

    private Responder(String mode) {
      this.mode = mode;
    }

    String status() {
      Throwable e = error.get();
      return mode + ",answered=" + answered.get() + ",error=" + (e == null ? "none" : e);
    }
  }

  /**
   * Starts B: for i = 1, 2, ... waits for {@code go=i} and sets {@code ack=i}.
   *
   * <ul>
   *   <li>{@code block}: a thread that blocks in {@code whenEqual("go", i).block()}, then {@code
   *       put("ack", i).block()};
   *   <li>{@code chain}: the same as one reactive chain, no blocked thread: {@code concatMap(i ->
   *       whenEqual("go", i).then(put("ack", i)))};
   *   <li>{@code changes}: one {@code changes()} subscription; each change of {@code go} is
   *       answered with {@code put("ack", its value)} ({@code concatMap}, Reactor's default
   *       prefetch of 32);
   *   <li>{@code changes1}: the same with {@code concatMap(.., 1)}: it requests one change at a
   *       time, so the server may push the next change only after B's request for it arrived.
   * </ul>
   *
   * Returns once B is listening.
   */
  static Responder respond(State b, String mode) throws InterruptedException {
    Responder r = new Responder(mode);
    switch (mode) {
      case "block":
        Thread t =
            new Thread(
                () -> {
                  try {
                    for (int i = 1; ; i++) {
                      b.whenEqual(GO, i).block();
                      b.put(ACK, i).block();
                      r.answered.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    r.error.set(e);
                  }
                },
                "responder " + b.namespace());
        t.setDaemon(true);
        t.start();
        return r;
      case "chain":
        Flux.range(1, Integer.MAX_VALUE)
            .concatMap(
                i ->
                    b.whenEqual(GO, i)
                        .then(b.put(ACK, i))
                        .doOnSuccess(v -> r.answered.incrementAndGet()),
                1)
            .subscribe(null, r.error::set);
        return r;
      case "changes":
      case "changes1":
        int prefetch = mode.equals("changes1") ? 1 : 32;
        CountDownLatch listening = new CountDownLatch(1);
        b.changes()
            .doOnNext(
                c -> {
                  if (c.keys().contains("b-ready")) {
                    listening.countDown();
                  }
                })
            .filter(c -> c.keys().contains(GO))
            .concatMap(
                c -> b.put(ACK, c.after().get(GO)).doOnSuccess(v -> r.answered.incrementAndGet()),
                prefetch)
            .subscribe(null, r.error::set);
        // changes() starts at the version it finds when subscribed: make sure it is live.
        for (int k = 0; listening.getCount() > 0 && k < 200; k++) {
          b.put("b-ready", k).block(TIMEOUT);
          listening.await(50, TimeUnit.MILLISECONDS);
        }
        if (listening.getCount() > 0) {
          throw new IllegalStateException("the changes() responder never saw its own change");
        }
        return r;
      default:
        throw new IllegalArgumentException("unknown responder mode " + mode);
    }
  }

  /** A subscriber to {@code changes()} that requests one change and never more. */
  static final class Stalled extends BaseSubscriber<StateChange> {
    final AtomicLong received = new AtomicLong();
    final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      subscription.request(1);
    }

    @Override
    protected void hookOnNext(StateChange value) {
      received.incrementAndGet();
    }

    @Override
    protected void hookOnError(Throwable throwable) {
      error.set(throwable);
    }

    String status() {
      Throwable e = error.get();
      return "received=" + received.get() + ",error=" + (e == null ? "none" : e);
    }
  }

  /** Subscribes a stalled watcher (see {@link Stalled}) to the namespace's changes. */
  static Stalled stall(State s) {
    Stalled stalled = new Stalled();
    s.changes().subscribe(stalled);
    return stalled;
  }

  /**
   * Change fan-out for {@code millis}: {@code watchers} new state clients of {@code ns}, each
   * subscribed to {@code changes()}, and one writer putting as fast as the watchers take the
   * changes: at most {@code window} writes may be ahead of what all watchers received (so no
   * watcher falls behind the journal). Counts every change delivered to every watcher.
   */
  static Measurement fanOut(ZProc ctx, String ns, int watchers, int window, long millis)
      throws InterruptedException {
    State writer = ctx.state(ns);
    AtomicLongArray seen = new AtomicLongArray(watchers);
    AtomicLong delivered = new AtomicLong();
    Semaphore permits = new Semaphore(0);
    AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    List<Disposable> subscriptions = new ArrayList<>();
    for (int w = 0; w < watchers; w++) {
      int index = w;
      subscriptions.add(
          ctx.state(ns)
              .changes()
              .subscribe(
                  c -> {
                    seen.incrementAndGet(index);
                    if (delivered.incrementAndGet() % watchers == 0) {
                      permits.release();
                    }
                  },
                  error::set));
    }
    try {
      // Until every watcher has received a change, the subscriptions may not be live yet.
      for (int k = 0; !allSeen(seen) && k < 1000; k++) {
        writer.put("fan", -1).block(TIMEOUT);
        Thread.sleep(10);
      }
      if (!allSeen(seen)) {
        throw new IllegalStateException("the fan-out watchers never received a change");
      }
      permits.drainPermits();
      permits.release(window);
      AtomicInteger inFlight = new AtomicInteger();
      long cpu = Cpu.processNanos();
      long d0 = delivered.get();
      long start = System.nanoTime();
      long deadline = start + millis * 1_000_000L;
      long now = start;
      int i = 0;
      while (now < deadline && error.get() == null) {
        if (permits.tryAcquire(deadline - now, TimeUnit.NANOSECONDS)) {
          inFlight.incrementAndGet();
          writer.put("fan", i++).subscribe(null, error::set, inFlight::decrementAndGet);
        }
        now = System.nanoTime();
      }
      long d1 = delivered.get();
      long nanos = System.nanoTime() - start;
      long cpuNanos = Cpu.processNanos() - cpu;
      for (int k = 0; inFlight.get() > 0 && k < 5000; k++) {
        Thread.sleep(1);
      }
      Throwable e = error.get();
      if (e != null) {
        throw new IllegalStateException("fan-out failed: " + e, e);
      }
      return new Measurement(d1 - d0, nanos, 0, 0, cpuNanos);
    } finally {
      subscriptions.forEach(Disposable::dispose);
    }
  }

  private static boolean allSeen(AtomicLongArray seen) {
    for (int w = 0; w < seen.length(); w++) {
      if (seen.get(w) == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code atomic} increments of {@link #COUNTER} in a blocking loop, for {@code millis}; {@code
   * runs} counts how often the task ran (a conflict runs it again).
   */
  static Measurement atomics(State s, AtomicLong runs, long millis) {
    AtomicTask<Void> task =
        m -> {
          runs.incrementAndGet();
          m.put(COUNTER, ((Number) m.getOrDefault(COUNTER, 0)).intValue() + 1);
          return null;
        };
    return Loops.sequential(i -> s.atomic(task), millis);
  }

  /** {@code increment(COUNTER, 1)} in a blocking loop, for {@code millis}. */
  static Measurement increments(State s, long millis) {
    return Loops.sequential(i -> s.increment(COUNTER, 1), millis);
  }
}
