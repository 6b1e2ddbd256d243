package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.internal.protocol.Fields;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The server's broker of remote processMap batches, without a transport. */
class MapBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final MapBroker broker = new MapBroker();

  private Disposable join(long session, int slots, List<JsonNode> elements) {
    return broker.join(session, slots).subscribe(elements::add);
  }

  @Test
  void submit_noWorker_waitsThenGoesToTheWorkerThatJoins() {
    MapBroker.Task task = broker.register(new byte[] {1}, "ns", 1);
    List<JsonNode> elements = new CopyOnWriteArrayList<>();
    StepVerifier.create(broker.submit(task, 7, 0, new byte[] {2}))
        .then(() -> assertThat(broker.queued()).isEqualTo(1))
        .then(() -> join(2, 1, elements))
        .then(
            () -> {
              assertThat(elements).hasSize(2);
              JsonNode batch = elements.get(1);
              assertThat(batch.get(Fields.BATCH).asLong()).isEqualTo(7);
              assertThat(batch.has(Fields.CODE)).isTrue();
              assertThat(broker.done(2, batch.get(Fields.JOB).asLong(), new byte[] {9})).isTrue();
            })
        .assertNext(reply -> assertThat(reply.has(Fields.OUTCOME)).isTrue())
        .verifyComplete();
  }

  @Test
  void done_fromAnotherConnection_isIgnored() {
    MapBroker.Task task = broker.register(new byte[] {1}, "ns", 1);
    List<JsonNode> elements = new CopyOnWriteArrayList<>();
    Disposable worker = join(2, 1, elements);
    StepVerifier.create(broker.submit(task, 7, 0, new byte[] {2}))
        .then(
            () -> {
              long job = elements.get(1).get(Fields.JOB).asLong();
              assertThat(broker.done(3, job, new byte[] {9})).isFalse();
              assertThat(broker.done(2, job, new byte[] {9})).isTrue();
            })
        .expectNextCount(1)
        .verifyComplete();
    worker.dispose();
  }

  @Test
  void workerLeaves_itsJobsAreAnsweredLost_andTheSlotsCountNoMore() {
    MapBroker.Task task = broker.register(new byte[] {1}, "ns", 1);
    List<JsonNode> elements = new CopyOnWriteArrayList<>();
    Disposable worker = join(2, 2, elements);
    StepVerifier.create(broker.submit(task, 7, 0, new byte[] {2}))
        .then(worker::dispose)
        .assertNext(reply -> assertThat(reply.get(Fields.LOST).asBoolean()).isTrue())
        .verifyComplete();
    assertThat(broker.workers()).isZero();
  }

  @Test
  void taskCode_goesToAWorkerOnce_andDropTellsIt() {
    MapBroker.Task task = broker.register(new byte[] {1}, "ns", 1);
    List<JsonNode> elements = new CopyOnWriteArrayList<>();
    Disposable worker = join(2, 1, elements);
    for (int i = 0; i < 2; i++) {
      StepVerifier.create(broker.submit(task, i, 0, new byte[] {2}))
          .then(
              () -> {
                JsonNode last = elements.get(elements.size() - 1);
                broker.done(2, last.get(Fields.JOB).asLong(), new byte[0]);
              })
          .expectNextCount(1)
          .verifyComplete();
    }
    assertThat(elements.get(1).has(Fields.CODE)).isTrue();
    assertThat(elements.get(2).has(Fields.CODE)).isFalse();
    broker.drop(task);
    assertThat(elements.get(3).get(Fields.DROPPED).asLong()).isEqualTo(task.id);
    worker.dispose();
  }

  @Test
  void cancel_takesAQueuedBatchOut() {
    MapBroker.Task task = broker.register(new byte[] {1}, "ns", 1);
    Disposable pending = broker.submit(task, 1, 0, new byte[] {2}).subscribe();
    assertThat(broker.queued()).isEqualTo(1);
    pending.dispose();
    assertThat(broker.queued()).isZero();
  }
}
