package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

/** One lane call's subscription: decodes and delivers the reply when requested, notes a cancel. */
class LaneCall extends Operators.MonoSubscriber<JsonNode, JsonNode> {
  private static final Logger log = LoggerFactory.getLogger(LaneCall.class);

  final LaneClient client;
  private final Object conn;
  volatile @Nullable Runnable onCancel;

  LaneCall(CoreSubscriber<? super JsonNode> actual, LaneClient client, Object conn) {
    super(actual);
    this.client = client;
    this.conn = conn;
  }

  @Override
  public void cancel() {
    super.cancel();
    Runnable r = onCancel;
    if (r != null) {
      r.run();
    }
  }

  /** Called once the call has ended, whichever way. */
  void ended() {}

  void deliver(ByteBuffer body) {
    client.served.incrementAndGet();
    ended();
    WireReply reply;
    try {
      reply = CborCodec.decodeReply(Unpooled.wrappedBuffer(body));
    } catch (CodecException e) {
      fail(
          new WireException(
              WireException.INTERNAL,
              "malformed reply from " + client.address + ": " + e.getMessage(),
              e));
      return;
    }
    if (reply instanceof WireReply.Failure) {
      fail(((WireReply.Failure) reply).toException());
      return;
    }
    JsonNode value = ((WireReply.Result) reply).value();
    if (value == null) {
      if (!isCancelled()) {
        actual.onComplete();
      }
    } else {
      complete(value);
    }
  }

  void fail(Throwable error) {
    ended();
    if (!isCancelled()) {
      actual.onError(error);
    }
  }

  /** Hands a progress message to the request's consumer; one that cannot be taken is dropped. */
  static void progress(Consumer<JsonNode> consumer, byte[] body) {
    try {
      consumer.accept(CborCodec.decode(body));
    } catch (RuntimeException e) {
      log.debug("a lane progress message could not be taken", e);
    }
  }

  @Override
  public @Nullable Object scanUnsafe(Attr key) {
    if (key == Attr.RUN_STYLE) {
      return Attr.RunStyle.SYNC;
    }
    return super.scanUnsafe(key);
  }

  @Override
  public String toString() {
    return "Lane.Call[" + conn + "]";
  }
}
