package io.zproc.internal.server;

import io.zproc.internal.protocol.Op;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What a server's sessions did, counted on the request path with striped adders (no lock, no
 * allocation): requests and the time spent serving them, per operation; waits for and conflicts of
 * the atomic lock. Read by {@link ServerStats}.
 */
final class RequestStats {
  /** The operations counted by name; any other is counted as {@link #OTHER}. */
  static final List<Op> OPS = List.of(Op.values());

  static final String OTHER = "other";

  /** One operation's figures. */
  static final class Figures {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  /** By {@link Op#ordinal()}, then {@link #OTHER}. */
  private final Figures[] ops = new Figures[OPS.size() + 1];

  {
    for (int i = 0; i < ops.length; i++) {
      ops[i] = new Figures();
    }
  }

  final LongAdder atomicWaits = new LongAdder();
  final LongAdder atomicConflicts = new LongAdder();

  /** Counts one request of {@code op} (null: an unknown one) that took {@code nanos} to serve. */
  void record(@Nullable Op op, long nanos) {
    Figures o = figures(op);
    o.count.increment();
    o.nanos.add(nanos);
  }

  /** The figures of the operation named {@code name} on the wire, or of {@link #OTHER}. */
  Figures op(String name) {
    return figures(Op.of(name));
  }

  private Figures figures(@Nullable Op op) {
    return ops[op == null ? OPS.size() : op.ordinal()];
  }
}
