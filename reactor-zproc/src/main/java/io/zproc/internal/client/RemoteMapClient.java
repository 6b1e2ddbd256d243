package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.map.RemoteBatches;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A context's way to the remote workers of its server: {@code mapBatch} and {@code mapDrop} (see
 * {@code docs/wire-format.md#remote-workers}). Thread-safe; nothing blocks.
 */
final class RemoteMapClient implements RemoteBatches {
  private static final Logger log = LoggerFactory.getLogger(RemoteMapClient.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ClientContext context;
  private final String namespace;

  RemoteMapClient(ClientContext context, String namespace) {
    this.context = context;
    this.namespace = namespace;
  }

  @Override
  public Mono<Reply> batch(long run, byte @Nullable [] task, long batch, long first, byte[] items) {
    ObjectNode args = NODES.objectNode();
    args.put(Fields.RUN, run);
    if (task != null) {
      args.put(Fields.CODE, task);
      args.put(Fields.NS, namespace);
    }
    args.put(Fields.BATCH, batch);
    args.put(Fields.FIRST, first);
    args.put(Fields.ITEMS, items);
    return context.call(Op.MAP_BATCH.request(args)).map(RemoteMapClient::reply);
  }

  private static Reply reply(JsonNode reply) {
    JsonNode out = reply.get(Fields.OUTCOME);
    return new Reply(
        out instanceof BinaryNode ? ((BinaryNode) out).binaryValue() : null,
        reply.path(Fields.LOST).asBoolean(false),
        reply.path(Fields.UNKNOWN).asBoolean(false));
  }

  @Override
  public void drop(long run) {
    ObjectNode args = NODES.objectNode().put(Fields.RUN, run);
    context
        .call(Op.MAP_DROP.request(args))
        .subscribe(
            ignored -> {},
            e -> log.debug("could not tell the server that processMap call {} ended: {}", run, e));
  }
}
