package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.rsocket.WireException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One connection's remote {@code processMap} operations ({@link Op#MAP_BATCH}, {@link Op#MAP_DROP},
 * {@link Op#MAP_DONE}, {@link Op#WORKER}) on the server's {@link MapBroker}: the tasks of this
 * connection's calls by their run id, and what it leaves behind when it closes.
 */
final class MapSessionOps {
  /** The most batches one connection may have queued or running at the workers. */
  static final int MAX_JOBS = 4096;

  /** The most slots a worker may join with. */
  static final int MAX_SLOTS = 1024;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final MapBroker broker;
  private final long session;
  private final Map<Long, MapBroker.Task> tasks = new ConcurrentHashMap<>();
  private final AtomicInteger jobs = new AtomicInteger();

  MapSessionOps(MapBroker broker, long session) {
    this.broker = broker;
    this.session = session;
  }

  /** A batch for the workers: its outcome, or {@code lost}, or {@code unknown} (send the task). */
  Mono<JsonNode> batch(ObjectNode args) {
    long run = number(Op.MAP_BATCH, args, Fields.RUN);
    byte[] code = bytesOrNull(Op.MAP_BATCH, args, Fields.CODE);
    JsonNode ns = args.get(Fields.NS);
    String namespace = ns != null && ns.isTextual() ? ns.asText() : null;
    long batch = number(Op.MAP_BATCH, args, Fields.BATCH);
    long first = number(Op.MAP_BATCH, args, Fields.FIRST);
    byte[] items = bytes(Op.MAP_BATCH, args, Fields.ITEMS);
    MapBroker.Task task = tasks.get(run);
    if (task == null) {
      if (code == null) {
        return Mono.just(NODES.objectNode().put(Fields.UNKNOWN, true));
      }
      if (namespace == null) {
        throw Arguments.invalid(Op.MAP_BATCH, Fields.NS + "' must be a namespace name");
      }
      String name = namespace;
      task = tasks.computeIfAbsent(run, r -> broker.register(code, name, session));
    }
    if (jobs.incrementAndGet() > MAX_JOBS) {
      jobs.decrementAndGet();
      throw new WireException(
          WireException.LIMIT_EXCEEDED,
          "this connection has "
              + MAX_JOBS
              + " processMap batches at the remote workers already; lower MapOptions.count");
    }
    return broker.submit(task, batch, first, items).doFinally(s -> jobs.decrementAndGet());
  }

  /** A call ended: its task is forgotten, here and by the workers. */
  Mono<JsonNode> drop(ObjectNode args) {
    MapBroker.Task task = tasks.remove(number(Op.MAP_DROP, args, Fields.RUN));
    if (task != null) {
      broker.drop(task);
    }
    return Mono.empty();
  }

  /** A worker's outcome of a batch it runs; unknown jobs (answered lost meanwhile) are ignored. */
  Mono<JsonNode> done(ObjectNode args) {
    long job = number(Op.MAP_DONE, args, Fields.JOB);
    byte[] outcome = bytes(Op.MAP_DONE, args, Fields.OUTCOME);
    broker.done(session, job, outcome);
    return Mono.empty();
  }

  /** A worker joins: the stream of its batches. */
  Flux<JsonNode> join(ObjectNode args) {
    long slots = number(Op.WORKER, args, Fields.SLOTS);
    if (slots < 1 || slots > MAX_SLOTS) {
      throw Arguments.invalid(
          Op.WORKER, Fields.SLOTS + "' must be between 1 and " + MAX_SLOTS + ", got " + slots);
    }
    return broker.join(session, (int) slots);
  }

  /** The connection closed: its calls' tasks are dropped (its workers left with their streams). */
  void closed() {
    for (MapBroker.Task task : tasks.values()) {
      broker.drop(task);
    }
    tasks.clear();
  }

  private static long number(Op op, ObjectNode args, String name) {
    JsonNode n = args.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw Arguments.invalid(op, name + "' must be an integer");
    }
    return n.asLong();
  }

  private static byte[] bytes(Op op, ObjectNode args, String name) {
    byte[] b = bytesOrNull(op, args, name);
    if (b == null) {
      throw Arguments.invalid(op, name + "' must be a byte string");
    }
    return b;
  }

  private static byte @Nullable [] bytesOrNull(Op op, ObjectNode args, String name) {
    JsonNode n = args.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!(n instanceof BinaryNode)) {
      throw Arguments.invalid(op, name + "' must be a byte string");
    }
    return ((BinaryNode) n).binaryValue();
  }
}
