package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;

/**
 * A call over the shared connection ({@link LaneMux}): ends its thread's in-flight count, sends a
 * cancel.
 */
final class SharedCall extends LaneCall {
  private final LaneMux mux;
  private final AtomicInteger counter;
  private final AtomicBoolean over = new AtomicBoolean();
  volatile int id;

  final @Nullable Consumer<JsonNode> progress;

  SharedCall(
      CoreSubscriber<? super JsonNode> actual,
      LaneClient client,
      LaneMux mux,
      AtomicInteger counter,
      @Nullable Consumer<JsonNode> progress) {
    super(actual, client, mux);
    this.mux = mux;
    this.counter = counter;
    this.progress = progress;
  }

  @Override
  void ended() {
    if (over.compareAndSet(false, true)) {
      counter.decrementAndGet();
    }
  }

  @Override
  void deliver(ByteBuffer body) {
    client.servedShared.incrementAndGet();
    super.deliver(body);
  }

  @Override
  public void cancel() {
    super.cancel();
    ended();
    int sent = id;
    if (sent != 0) {
      mux.cancel(sent);
    }
  }
}
