package io.zproc.internal.server;

import static io.zproc.internal.server.Arguments.field;
import static io.zproc.internal.server.Arguments.flag;
import static io.zproc.internal.server.Arguments.invalid;
import static io.zproc.internal.server.Arguments.origin;
import static io.zproc.internal.server.Arguments.texts;
import static io.zproc.internal.server.Arguments.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
import io.zproc.internal.store.ReplicatedStore;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A session's operations on a server whose state lives in a {@link ReplicatedStore}. A read, a wait
 * or a watch first catches the namespace up with the store (one round trip: what any server
 * committed before is seen), then runs as on the memory store. A write is computed on the replica
 * ({@link Proposal}), committed to the store if the store is still at the version it was computed
 * on, and only then applied to the replica; if another server committed meanwhile, the replica
 * catches up and the write is computed again. A namespace's writes through one server go one at a
 * time ({@link CommitQueue}).
 */
final class ReplicatedOps {
  /** Attempts of one write before it gives up (each lost to another server's commit). */
  static final int MAX_ATTEMPTS = 1000;

  private final StateEngine engine;
  private final Replica replica;
  private final ReplicatedStore store;
  private final Clock clock;
  private final Arguments arguments;
  private final ConcurrentHashMap<String, CommitQueue> queues = new ConcurrentHashMap<>();

  ReplicatedOps(StateEngine engine, Replica replica, Clock clock) {
    this.engine = engine;
    this.replica = replica;
    this.store = replica.store();
    this.clock = clock;
    this.arguments = new Arguments(engine.options().maxKeyLength());
  }

  void close() {
    replica.close();
    store.close();
  }

  /**
   * Serves a request: {@code local} serves it on the replica once caught up (reads, waits, the
   * atomic lock), the store takes writes and drops.
   */
  Mono<JsonNode> request(
      @Nullable Op op, WireRequest request, BiFunction<Op, WireRequest, Mono<JsonNode>> local) {
    if (op == Op.NAMESPACES) {
      return store.names().<JsonNode>map(StateEngine::namesReply);
    }
    if (op == null || op == Op.WATCH || !op.namespaced()) {
      return local.apply(op, request);
    }
    ObjectNode args = request.args();
    String name = arguments.name(op, args);
    if (op == Op.DROP) {
      String dropped = name;
      return store
          .drop(dropped)
          .map(
              existed -> {
                Namespace ns = engine.find(dropped);
                if (ns != null) {
                  engine.drop(dropped, ns);
                }
                queues.remove(dropped);
                return BooleanNode.valueOf(existed);
              });
    }
    if (op == Op.COMMIT) {
      return atomic(name, args);
    }
    if (op.isMutation()) {
      String origin = origin(args);
      return queue(name).submit(() -> write(name, op, args, origin, 1));
    }
    if (op == Op.WHEN && resumesWithin(name, args)) {
      return local.apply(op, request);
    }
    return replica.sync(name).then(Mono.defer(() -> local.apply(op, request)));
  }

  /** A watch, once its namespace is caught up. */
  Flux<JsonNode> stream(Op op, WireRequest request, Flux<JsonNode> local) {
    String name = arguments.name(op, request.args());
    if (resumesWithin(name, request.args())) {
      return local;
    }
    return replica.sync(name).thenMany(local);
  }

  /**
   * Whether a wait or watch resumes after a version this server's replica has reached: it then
   * needs no catch-up first (what comes after is delivered as the replica follows the store), and
   * saves a round trip; a chained {@code whenEqual} resumes so. "From now" (no version) and a
   * version the replica has not reached catch up first.
   */
  private boolean resumesWithin(String name, ObjectNode args) {
    JsonNode after = args.get(Fields.AFTER);
    if (after == null || !after.canConvertToLong() || after.longValue() < 0) {
      return false;
    }
    Namespace ns = engine.find(name);
    return ns != null && after.longValue() <= ns.version();
  }

  private CommitQueue queue(String name) {
    return queues.computeIfAbsent(name, n -> new CommitQueue());
  }

  /** One attempt of a plain write. */
  private Mono<JsonNode> write(String name, Op op, ObjectNode args, String origin, int attempt) {
    return Mono.defer(
        () -> {
          Namespace ns = engine.find(name);
          if (ns == null) {
            return replica.sync(name).then(write(name, op, args, origin, attempt));
          }
          Proposal p;
          long base;
          synchronized (ns) {
            p = Proposal.of(ns, op, args, arguments);
            base = ns.version;
          }
          return commit(ns, base, p, origin)
              .flatMap(
                  ok -> {
                    if (ok) {
                      return Mono.justOrEmpty(p.reply());
                    }
                    return retry(name, attempt, write(name, op, args, origin, attempt + 1));
                  });
        });
  }

  /** Catches up after losing to another server's commit, then tries again. */
  private Mono<JsonNode> retry(String name, int attempt, Mono<JsonNode> again) {
    if (attempt >= MAX_ATTEMPTS) {
      return Mono.error(
          new WireException(
              WireException.INTERNAL,
              "a write to namespace '"
                  + name
                  + "' lost "
                  + attempt
                  + " times in a row to other servers' writes; it was not applied"));
    }
    return replica.sync(name).then(again);
  }

  /**
   * Commits a proposal computed on {@code base} and applies it to the replica: emits false if the
   * store had moved on (nothing applied).
   */
  private Mono<Boolean> commit(Namespace ns, long base, Proposal p, String origin) {
    ChangeRecord record = null;
    ReplicatedStore.Change change = null;
    if (p.changes()) {
      record =
          new ChangeRecord(
              ns.name,
              base + 1,
              clock.millis(),
              origin,
              p.keys(),
              p.before(),
              p.after(),
              ns.epoch());
      byte[][] values = new byte[p.keys().length][];
      for (int i = 0; i < values.length; i++) {
        JsonNode after = p.after()[i];
        values[i] = after == null ? null : ReplicaCodec.value(after);
      }
      change =
          new ReplicatedStore.Change(
              ReplicaCodec.record(record, p.reset()), p.reset(), p.keys(), values);
    }
    ChangeRecord committed = record;
    return store
        .commit(ns.name, ns.epoch(), base, change)
        .map(
            outcome -> {
              if (outcome.committed() && committed != null) {
                Replica.apply(ns, committed, p.reset());
                ns.signal();
              }
              return outcome.committed();
            });
  }

  /** An atomic task's commit ({@link Op#COMMIT}), checked as on the memory store. */
  private Mono<JsonNode> atomic(String name, ObjectNode args) {
    Op op = Op.COMMIT;
    JsonNode base = field(op, args, Fields.BASE);
    if (!base.canConvertToLong()) {
      throw invalid(op, Fields.BASE + "' (the version the task ran on) must be an integer");
    }
    String[] reads = flag(args, Fields.READ_ALL) ? null : texts(op, args, Fields.READS);
    JsonNode puts = args.get(Fields.MAP);
    if (puts != null && !(puts instanceof ObjectNode)) {
      throw invalid(op, Fields.MAP + "' (the writes) must be a map");
    }
    String[] removes = texts(op, args, Fields.REMOVES);
    for (String k : removes) {
      arguments.checkLength("key", k);
    }
    ObjectNode writes = puts == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) puts;
    writes.fieldNames().forEachRemaining(k -> arguments.checkLength("key", k));
    long token = token(op, args);
    String origin = origin(args);
    return queue(name)
        .submit(() -> atomic(name, base.longValue(), reads, writes, removes, origin, token, 1));
  }

  private Mono<JsonNode> atomic(
      String name,
      long base,
      String @Nullable [] reads,
      ObjectNode writes,
      String[] removes,
      String origin,
      long token,
      int attempt) {
    return Mono.defer(
        () -> {
          Namespace ns = engine.find(name);
          if (ns == null || base > ns.version()) {
            // the task ran on a state this replica has not seen yet
            return replica
                .sync(name)
                .then(atomicOnce(name, base, reads, writes, removes, origin, token, attempt));
          }
          return atomicOnce(name, base, reads, writes, removes, origin, token, attempt);
        });
  }

  private Mono<JsonNode> atomicOnce(
      String name,
      long base,
      String @Nullable [] reads,
      ObjectNode writes,
      String[] removes,
      String origin,
      long token,
      int attempt) {
    return Mono.defer(
        () -> {
          Namespace ns = engine.find(name);
          if (ns == null) {
            // dropped meanwhile: the next use makes it anew
            return replica
                .sync(name)
                .then(atomicOnce(name, base, reads, writes, removes, origin, token, attempt));
          }
          Proposal p;
          long version;
          boolean holds;
          synchronized (ns) {
            holds = ns.lock().holds(token);
            if (base > ns.version || ns.history.conflicts(base, reads, ns.version)) {
              if (holds) {
                ns.lock().renew(token, System.nanoTime());
              }
              engine.stats().atomicConflicts.increment();
              return Mono.just(Replies.Commit.conflict(ns.snapshot(), holds));
            }
            version = ns.version;
            p = Proposal.writes(ns.data, writes, removes);
          }
          return commit(ns, version, p, origin)
              .flatMap(
                  ok -> {
                    if (!ok) {
                      return retry(
                          name,
                          attempt,
                          atomicOnce(
                              name, base, reads, writes, removes, origin, token, attempt + 1));
                    }
                    AtomicLock.Grant next = null;
                    synchronized (ns) {
                      if (holds && ns.lock().holds(token)) {
                        next = ns.lock().handOff(System.nanoTime());
                      }
                    }
                    if (next != null) {
                      next.deliver();
                    }
                    return Mono.just(Replies.Commit.committed(p.changes() ? version + 1 : version));
                  });
        });
  }
}
