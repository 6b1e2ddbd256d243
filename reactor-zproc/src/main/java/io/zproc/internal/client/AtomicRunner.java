package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.AtomicTask;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

/**
 * Runs one {@link io.zproc.State#atomic atomic} task: waits for the namespace's atomic lock (a
 * queue on the server, so contending clients take turns instead of conflicting), runs the task on a
 * copy of the state that came with it, and commits the writes if nothing the task read changed; on
 * a conflict runs it again, at once while the lock is still held, else after queueing anew.
 */
final class AtomicRunner<R> {
  private final StateClient client;
  private final AtomicTask<R> task;

  private AtomicRunner(StateClient client, AtomicTask<R> task) {
    this.client = client;
    this.task = task;
  }

  /** The task's result once its writes are committed; each subscription runs it anew. */
  static <R> Mono<R> run(StateClient client, AtomicTask<R> task) {
    return Mono.defer(() -> new AtomicRunner<>(client, task).begin(1));
  }

  /** Waits for the lock, then runs the task on the state that came with it. */
  private Mono<R> begin(int attempt) {
    return client
        .call(Op.BEGIN, client.args())
        .flatMap(
            reply -> {
              Replies.Granted granted = Replies.Granted.decode(reply);
              return attempt(granted.state(), granted.token(), attempt);
            });
  }

  private Mono<R> attempt(Replies.StateReply snapshot, long token, int attempt) {
    long base = snapshot.version();
    LinkedHashMap<String, JsonNode> original = new LinkedHashMap<>();
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    snapshot
        .entries()
        .fields()
        .forEachRemaining(
            e -> {
              original.put(e.getKey(), e.getValue());
              copy.put(e.getKey(), Json.toJava(e.getValue()));
            });
    TrackingMap map = new TrackingMap(copy);
    R result;
    try {
      result = task.apply(map);
    } catch (Throwable t) {
      Exceptions.throwIfJvmFatal(t);
      abort(token);
      return Mono.error(t);
    }
    ObjectNode args = client.mutation();
    args.put(Fields.BASE, base);
    if (token != 0) {
      args.put(Fields.TOKEN, token);
    }
    if (map.readAll()) {
      args.put(Fields.READ_ALL, true);
    } else {
      ArrayNode reads = args.putArray(Fields.READS);
      map.touched().forEach(reads::add);
    }
    ObjectNode puts = args.putObject(Fields.MAP);
    ArrayNode removes = args.putArray(Fields.REMOVES);
    try {
      for (Map.Entry<String, Object> e : map.data().entrySet()) {
        JsonNode value = Json.toTree(e.getKey(), e.getValue());
        JsonNode before = original.get(e.getKey());
        if (before == null
            || !Json.equal(before, value)
            || before.getNodeType() != value.getNodeType()) {
          puts.set(e.getKey(), value);
        }
      }
    } catch (RuntimeException e) {
      abort(token);
      return Mono.error(e);
    }
    for (String key : original.keySet()) {
      if (!map.data().containsKey(key)) {
        removes.add(key);
      }
    }
    return client
        .call(Op.COMMIT, args)
        .flatMap(
            reply -> {
              Replies.Commit commit = Replies.Commit.decode(reply);
              if (commit.ok()) {
                return Mono.justOrEmpty(result);
              }
              if (commit.held()) {
                // Still this client's turn: run again at once on the fresh state.
                return attempt(Objects.requireNonNull(commit.state()), token, attempt + 1);
              }
              return begin(attempt + 1);
            });
  }

  /** Gives the atomic lock back after a task failed, so the next waiter need not wait it out. */
  private void abort(long token) {
    if (token == 0) {
      return;
    }
    ObjectNode args = client.args();
    args.put(Fields.TOKEN, token);
    client.call(Op.ABORT, args).subscribe(null, e -> {});
  }
}
