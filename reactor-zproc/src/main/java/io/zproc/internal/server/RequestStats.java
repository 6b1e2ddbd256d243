package io.zproc.internal.server;

import io.zproc.internal.Ops;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a server's sessions did, counted on the request path with striped adders (no lock, no
 * allocation): requests and the time spent serving them, per operation; waits for and conflicts of
 * the atomic lock. Read by {@link ServerStats}.
 */
final class RequestStats {
  /** The operations counted by name; any other is counted as {@link #OTHER}. */
  static final List<String> OPS =
      List.of(
          Ops.GET,
          Ops.PUT,
          Ops.REMOVE,
          Ops.REMOVE_IF,
          Ops.REPLACE,
          Ops.REPLACE_IF,
          Ops.PUT_ALL,
          Ops.PUT_IF_ABSENT,
          Ops.POP_ITEM,
          Ops.CONTAINS_KEY,
          Ops.CONTAINS_VALUE,
          Ops.SIZE,
          Ops.CLEAR,
          Ops.SET,
          Ops.SNAPSHOT,
          Ops.INCREMENT,
          Ops.PING,
          Ops.VERSION_OF,
          Ops.BEGIN,
          Ops.COMMIT,
          Ops.ABORT,
          Ops.WHEN,
          Ops.WATCH,
          Ops.DROP);

  static final String OTHER = "other";

  /** One operation's figures. */
  static final class Op {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  private final Map<String, Op> ops =
      Stream.concat(OPS.stream(), Stream.of(OTHER))
          .collect(Collectors.toUnmodifiableMap(Function.identity(), op -> new Op()));

  final LongAdder atomicWaits = new LongAdder();
  final LongAdder atomicConflicts = new LongAdder();

  /** Counts one request of {@code op} that took {@code nanos} to serve. */
  void record(String op, long nanos) {
    Op o = ops.get(op);
    if (o == null) {
      o = ops.get(OTHER);
    }
    o.count.increment();
    o.nanos.add(nanos);
  }

  Op op(String name) {
    Op o = ops.get(name);
    return o == null ? ops.get(OTHER) : o;
  }
}
