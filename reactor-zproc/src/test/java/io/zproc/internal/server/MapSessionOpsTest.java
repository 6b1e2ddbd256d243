package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.Fields;
import io.zproc.rsocket.WireException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** One connection's remote processMap operations, on a broker without a transport. */
class MapSessionOpsTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final MapBroker broker = new MapBroker();
  private final MapSessionOps client = new MapSessionOps(broker, 1);
  private final MapSessionOps worker = new MapSessionOps(broker, 2);

  private static ObjectNode batch(long run, boolean withCode) {
    ObjectNode args = F.objectNode().put(Fields.RUN, run);
    if (withCode) {
      args.put(Fields.CODE, new byte[] {1}).put(Fields.NS, "ns");
    }
    return args.put(Fields.BATCH, 5).put(Fields.FIRST, 0).put(Fields.ITEMS, new byte[] {2});
  }

  @Test
  void batch_withoutTheTask_answersUnknown_thenWithItRuns() {
    StepVerifier.create(client.batch(batch(1, false)))
        .assertNext(reply -> assertThat(reply.get(Fields.UNKNOWN).asBoolean()).isTrue())
        .verifyComplete();
    List<JsonNode> elements = new CopyOnWriteArrayList<>();
    Disposable joined = worker.join(F.objectNode().put(Fields.SLOTS, 1)).subscribe(elements::add);
    StepVerifier.create(client.batch(batch(1, true)))
        .then(
            () ->
                worker
                    .done(
                        F.objectNode()
                            .put(Fields.JOB, elements.get(1).get(Fields.JOB).asLong())
                            .put(Fields.OUTCOME, new byte[] {3}))
                    .block(WAIT))
        .assertNext(reply -> assertThat(reply.has(Fields.OUTCOME)).isTrue())
        .verifyComplete();
    // the task is known now: a batch without it is taken
    StepVerifier.create(client.batch(batch(1, false)))
        .then(() -> assertThat(elements).hasSize(3))
        .then(joined::dispose)
        .assertNext(reply -> assertThat(reply.get(Fields.LOST).asBoolean()).isTrue())
        .verifyComplete();
  }

  @Test
  void closed_dropsTheConnectionsCalls() {
    StepVerifier.create(client.batch(batch(1, true)))
        .then(() -> assertThat(broker.queued()).isEqualTo(1))
        .then(client::closed)
        .then(() -> assertThat(broker.queued()).isZero())
        .verifyComplete();
  }

  @Test
  void badArguments_invalidArgument() {
    assertThatThrownBy(() -> client.batch(F.objectNode().put(Fields.RUN, "x")))
        .isInstanceOfSatisfying(
            WireException.class,
            e -> assertThat(e.code()).isEqualTo(WireException.INVALID_ARGUMENT))
        .hasMessageContaining("run' must be an integer");
    assertThatThrownBy(() -> client.batch(batch(1, true).put(Fields.ITEMS, "text")))
        .hasMessageContaining("items' must be a byte string");
    assertThatThrownBy(() -> worker.join(F.objectNode().put(Fields.SLOTS, 0)))
        .hasMessageContaining("slots' must be between 1 and 1024");
    assertThatThrownBy(() -> client.batch(batch(1, false).put(Fields.CODE, new byte[] {1})))
        .hasMessageContaining("ns' must be a namespace name");
  }
}
