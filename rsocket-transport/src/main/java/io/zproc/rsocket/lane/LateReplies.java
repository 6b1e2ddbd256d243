package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The replies of one lane connection that come after their request was read (waits answered by a
 * later change), written in batches: whichever thread produces them queues them, and one task on
 * the channel's event loop writes all that are queued and flushes once. One change that answers
 * 10,000 waits of a connection costs a handful of event-loop tasks and flushes, not 10,000.
 *
 * <p>It also remembers the last value it encoded: the waits one change answers share one reply
 * tree, which is then encoded once.
 */
final class LateReplies implements Runnable {
  /** At most this many frames per task, so that one batch does not hold the event loop. */
  private static final int BATCH = 4096;

  private record Frame(int id, byte[] body) {}

  private record Encoded(JsonNode value, byte[] bytes) {}

  private final ChannelHandlerContext ctx;
  private final Queue<Frame> frames = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile @Nullable Encoded last;

  LateReplies(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** The encoding of a reply's value, reused when it is the tree encoded last. */
  byte @Nullable [] cached(@Nullable JsonNode value) {
    Encoded e = last;
    return e != null && value != null && e.value == value ? e.bytes : null;
  }

  /** Remembers the encoding of a reply's value. */
  void remember(@Nullable JsonNode value, byte[] bytes) {
    if (value != null && value.size() > 0) {
      last = new Encoded(value, bytes);
    }
  }

  /** Queues a frame; it is written and flushed soon, on the event loop. */
  void send(int id, byte[] body) {
    frames.offer(new Frame(id, body));
    if (scheduled.compareAndSet(false, true)) {
      ctx.executor().execute(this);
    }
  }

  @Override
  public void run() {
    int written = 0;
    Frame frame;
    while (written < BATCH && (frame = frames.poll()) != null) {
      ctx.write(LaneFrameCodec.encode(ctx.alloc(), frame.id(), frame.body()));
      written++;
    }
    if (written > 0) {
      ctx.flush();
    }
    scheduled.set(false);
    // a frame queued after the last poll, or left past the batch: go again
    if (!frames.isEmpty() && scheduled.compareAndSet(false, true)) {
      ctx.executor().execute(this);
    }
  }
}
