package io.zproc.bench;

import java.util.Locale;

/**
 * One timed round: how many operations completed in how long, for sequential loops the round trip
 * latency percentiles (0 when not measured), and the CPU time the measuring processes spent (client
 * and server together when both are measured).
 */
record Measurement(long ops, long nanos, long p50Nanos, long p99Nanos, long cpuNanos) {

  double opsPerSecond() {
    return nanos == 0 ? 0 : ops * 1e9 / nanos;
  }

  /** CPU microseconds per operation (0 if not measured). */
  double cpuMicrosPerOp() {
    return ops == 0 ? 0 : cpuNanos / 1000.0 / ops;
  }

  /** The same round with more CPU time (another process's share). */
  Measurement plusCpu(long nanos) {
    return new Measurement(ops, this.nanos, p50Nanos, p99Nanos, cpuNanos + nanos);
  }

  /** The machine-readable form a child JVM prints: {@code ops=.. nanos=.. p50=.. p99=.. cpu=..}. */
  String toLine() {
    return String.format(
        Locale.ROOT,
        "ops=%d nanos=%d p50=%d p99=%d cpu=%d",
        ops,
        nanos,
        p50Nanos,
        p99Nanos,
        cpuNanos);
  }

  /** Parses {@link #toLine()}'s fields from anywhere in a line. */
  static Measurement parse(String line) {
    long ops = field(line, "ops");
    long nanos = field(line, "nanos");
    return new Measurement(ops, nanos, field(line, "p50"), field(line, "p99"), field(line, "cpu"));
  }

  /** A field of a result line, or {@code otherwise} if it has none. */
  static long field(String line, String name, long otherwise) {
    for (String token : line.trim().split("\\s+")) {
      if (token.startsWith(name + "=")) {
        return Long.parseLong(token.substring(name.length() + 1));
      }
    }
    return otherwise;
  }

  private static long field(String line, String name) {
    for (String token : line.trim().split("\\s+")) {
      if (token.startsWith(name + "=")) {
        return Long.parseLong(token.substring(name.length() + 1));
      }
    }
    throw new IllegalArgumentException("no field '" + name + "' in result line: " + line);
  }
}
