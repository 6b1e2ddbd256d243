package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A remote worker's operations on its context's connection: joining ({@code worker}, a stream of
 * batches) and answering ({@code mapDone}); see {@code docs/wire-format.md#remote-workers}.
 */
public final class WorkerLink {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ClientContext context;

  /** The operations over this context's connection (the worker's own context). */
  public WorkerLink(ClientContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /**
   * Joins the server as a worker with {@code slots} slots; cold: each subscription joins anew. The
   * first element is {@code {"joined": true}}; then batches and drop notices. Errors are {@code
   * ZProcException}; cancelling leaves (the server re-runs the batches this worker had elsewhere).
   */
  public Flux<JsonNode> join(int slots) {
    return Flux.defer(
        () -> context.stream(Op.WORKER.request(NODES.objectNode().put(Fields.SLOTS, slots))));
  }

  /** Posts a batch's outcome; completes when the server has it. */
  public Mono<Void> done(long job, byte[] outcome) {
    ObjectNode args = NODES.objectNode();
    args.put(Fields.JOB, job);
    args.put(Fields.OUTCOME, outcome);
    return context.call(Op.MAP_DONE.request(args)).then();
  }
}
