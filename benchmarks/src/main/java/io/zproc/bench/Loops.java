package io.zproc.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The measuring loops, shared by the bench main and the child JVM. */
final class Loops {
  private Loops() {}

  /**
   * One operation at a time on the calling thread ({@code block()} after each), for {@code millis};
   * records every round trip.
   */
  static Measurement sequential(IntFunction<? extends Mono<?>> op, long millis) {
    return blocking(i -> op.apply(i).block(), millis);
  }

  /** Like {@link #sequential}, for an operation that is itself blocking. */
  static Measurement blocking(IntConsumer op, long millis) {
    Histogram latencies = new Histogram();
    long cpu = Cpu.processNanos();
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000L;
    long now = start;
    int i = 0;
    while (now < deadline) {
      long before = now;
      op.accept(i++);
      now = System.nanoTime();
      latencies.record(now - before);
    }
    return new Measurement(
        latencies.count(),
        now - start,
        latencies.percentile(50),
        latencies.percentile(99),
        Cpu.processNanos() - cpu);
  }

  /**
   * Like {@link #sequential}, but the calling thread spins ({@link Thread#onSpinWait()}) until the
   * operation completes instead of parking in {@code block()}: shows what the wake-up of a parked
   * caller costs. An experiment, not a recommendation (it burns a core).
   */
  static Measurement spinning(IntFunction<? extends Mono<?>> op, long millis) {
    AtomicInteger done = new AtomicInteger();
    return blocking(
        i -> {
          done.set(0);
          op.apply(i).subscribe(null, e -> done.set(2), () -> done.set(1));
          int d;
          while ((d = done.get()) == 0) {
            Thread.onSpinWait();
          }
          if (d == 2) {
            throw new IllegalStateException("operation failed");
          }
        },
        millis);
  }

  /**
   * Keeps {@code inFlight} operations outstanding ({@code flatMap} concurrency) until {@code
   * millis} have passed, then waits for the last ones. No latencies: with a queue of requests they
   * measure the queue.
   */
  static Measurement concurrent(IntFunction<? extends Mono<?>> op, int inFlight, long millis) {
    long cpu = Cpu.processNanos();
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000L;
    Long ops =
        Flux.range(0, Integer.MAX_VALUE)
            .takeWhile(i -> System.nanoTime() < deadline)
            .flatMap(i -> op.apply(i).thenReturn(i), inFlight)
            .count()
            .block();
    long nanos = System.nanoTime() - start;
    return new Measurement(ops == null ? 0 : ops, nanos, 0, 0, Cpu.processNanos() - cpu);
  }
}
