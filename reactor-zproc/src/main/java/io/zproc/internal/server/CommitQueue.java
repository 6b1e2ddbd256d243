package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs one namespace's writes through a replicated store one at a time, in arrival order: a write
 * is computed on the replica as the previous one left it, so that this server's writes never
 * conflict with each other in the store (only with other servers'). A queue and a counter, not a
 * thread: a write starts on the thread that submitted it or that ended the one before.
 */
final class CommitQueue {
  private record Task(Supplier<Mono<JsonNode>> work, MonoSink<JsonNode> sink) {}

  private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  /** The outcome of {@code work}, run once the writes submitted before it have ended. */
  Mono<JsonNode> submit(Supplier<Mono<JsonNode>> work) {
    return Mono.create(
        sink -> {
          queue.add(new Task(work, sink));
          if (pending.getAndIncrement() == 0) {
            runNext();
          }
        });
  }

  private void runNext() {
    Task task = queue.poll();
    if (task == null) {
      return; // cannot be: pending counts the tasks queued
    }
    Mono<JsonNode> work;
    try {
      work = task.work().get();
    } catch (RuntimeException e) {
      work = Mono.error(e);
    }
    work.subscribe(
        task.sink()::success,
        e -> {
          task.sink().error(e);
          done();
        },
        () -> {
          task.sink().success();
          done();
        });
  }

  private void done() {
    if (pending.decrementAndGet() > 0) {
      runNext();
    }
  }
}
