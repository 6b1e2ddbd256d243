package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.Failures;
import io.zproc.rsocket.internal.ServerHandler;
import io.zproc.rsocket.internal.Setup;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The server side of one <em>lane</em> connection: the same-host fast path for request-response
 * beside a {@code tcp://} server's unix-domain socket, without RSocket's framing.
 *
 * <p>The frames are {@link LaneFrameCodec}'s: first the client's {@link Setup}, then requests, each
 * answered by one reply frame with the same id; replies to synchronous operations are flushed once
 * per read batch. The session gets each request with a progress consumer ({@link
 * WireRequest#progress()}) that sends a progress frame before the reply.
 *
 * <p><b>Threading:</b> runs on the channel's event loop; replies that come later are queued by the
 * thread that produces them and written in batches on the event loop ({@link LateReplies}). Nothing
 * here blocks.
 */
final class LaneHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(LaneHandler.class);

  private final LaneServer.Opener opener;
  private final int maxFrameSize;
  private @Nullable WireSession session;
  private boolean flushPending;
  private volatile @Nullable LateReplies late;
  private boolean closed;
  private final Map<Integer, Disposable> running = new ConcurrentHashMap<>();
  private final @Nullable LaneSpin spin;

  /**
   * @param opener opens the session once the setup frame passed its checks
   * @param maxFrameSize the largest request body accepted
   * @param spin the lane loop's strategy, told when a request that waited is answered; null if the
   *     loop does not poll
   */
  LaneHandler(LaneServer.Opener opener, int maxFrameSize, @Nullable LaneSpin spin) {
    this.opener = opener;
    this.maxFrameSize = maxFrameSize;
    this.spin = spin;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (frame.readableBytes() < 4) {
        log.debug("lane frame without an id from {}; closing", ctx.channel());
        ctx.close();
        return;
      }
      int id = frame.readInt();
      WireSession s = session;
      if (s == null) {
        setup(ctx, id, frame);
      } else {
        request(ctx, s, id, frame);
      }
    } finally {
      frame.release();
    }
  }

  private void setup(ChannelHandlerContext ctx, int id, ByteBuf body) {
    try {
      Setup setup = Setup.decode(body);
      session = opener.open(setup, () -> ctx.channel().close());
      write(ctx, id, CborCodec.encodeResult(ServerHandler.pingReply(maxFrameSize, -1)));
      ctx.flush();
    } catch (CodecException | WireException e) {
      String code = e instanceof WireException ? ((WireException) e).code() : "BAD_REQUEST";
      String message =
          e instanceof WireException
              ? String.valueOf(e.getMessage())
              : "malformed setup: " + e.getMessage();
      write(ctx, id, CborCodec.encodeFailure(code, message));
      ctx.flush();
      ctx.close();
    }
  }

  private void request(ChannelHandlerContext ctx, WireSession s, int id, ByteBuf body) {
    if (id < 0) {
      // A cancel: the client no longer wants the reply to request -id.
      Disposable cancelled = running.remove(-id);
      if (cancelled != null) {
        cancelled.dispose();
      }
      return;
    }
    if (running.containsKey(id)) {
      // The id of a request still pending on this connection: running it would overwrite the
      // first one's entry, whose server watch or atomic turn could then never be cancelled.
      reply(
          ctx,
          id,
          Failures.toFailure(
              new WireException(
                  WireException.BAD_REQUEST,
                  "request id "
                      + id
                      + " is already in use by a pending request on this lane connection;"
                      + " use a new id")));
      return;
    }
    WireRequest decoded;
    try {
      decoded = CborCodec.decodeRequest(body);
    } catch (CodecException e) {
      reply(
          ctx,
          id,
          Failures.toFailure(
              new WireException(WireException.BAD_REQUEST, String.valueOf(e.getMessage()))));
      return;
    }
    if (ServerHandler.PING.equals(decoded.op())) {
      reply(ctx, id, new WireReply.Result(ServerHandler.pingReply(maxFrameSize, -1)));
      return;
    }
    WireRequest request =
        new WireRequest(
            decoded.op(),
            decoded.args(),
            node ->
                ctx.writeAndFlush(LaneFrameCodec.encode(ctx.alloc(), -id, CborCodec.encode(node))));
    Mono<JsonNode> result = ServerHandler.handle(s, request);
    WireReply immediate = ServerHandler.immediate(result, request);
    if (immediate != null) {
      reply(ctx, id, immediate);
      return;
    }
    Disposable[] holder = new Disposable[1];
    // Whether subscribing is still under way: a reply that comes later answers a request that
    // waited on the server, and its client will likely answer at once (LaneSpin).
    AtomicBoolean subscribing = new AtomicBoolean(true);
    Disposable subscription =
        result
            .map(value -> (WireReply) new WireReply.Result(value))
            .switchIfEmpty(Mono.fromSupplier(() -> new WireReply.Result(null)))
            .onErrorResume(e -> Mono.just(ServerHandler.failure(request, e)))
            .doFinally(
                signal -> {
                  if (holder[0] != null) {
                    running.remove(id, holder[0]);
                  }
                })
            .subscribe(
                reply -> {
                  boolean atOnce = subscribing.get();
                  if (atOnce && ctx.executor().inEventLoop()) {
                    // answered while the request is read: flushed with the read batch
                    write(ctx, id, encode(reply));
                    return;
                  }
                  if (spin != null && !atOnce) {
                    spin.handedOff();
                  }
                  late().send(id, encodeLate(reply));
                });
    subscribing.set(false);
    holder[0] = subscription;
    if (!subscription.isDisposed()) {
      running.put(id, subscription);
      if (closed) {
        subscription.dispose();
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    late = new LateReplies(ctx);
  }

  /** The connection's batcher of late replies (made when this handler joined the pipeline). */
  private LateReplies late() {
    return Objects.requireNonNull(late, "a lane handler answers only once in its pipeline");
  }

  /** Encodes a late reply, once for the many waits one change answers with one shared tree. */
  private byte[] encodeLate(WireReply reply) {
    JsonNode value = reply instanceof WireReply.Result r ? r.value() : null;
    LateReplies l = late();
    byte[] bytes = l.cached(value);
    if (bytes == null) {
      bytes = encode(reply);
      if (reply instanceof WireReply.Result) {
        l.remember(value, bytes);
      }
    }
    return bytes;
  }

  private void reply(ChannelHandlerContext ctx, int id, WireReply reply) {
    write(ctx, id, encode(reply));
  }

  private static byte[] encode(WireReply reply) {
    try {
      return CborCodec.encodeReply(reply);
    } catch (CodecException e) {
      return CborCodec.encodeReply(
          Failures.toFailure(
              new WireException(
                  WireException.INTERNAL, "the reply could not be encoded: " + e.getMessage())));
    }
  }

  private void write(ChannelHandlerContext ctx, int id, byte[] body) {
    ctx.write(LaneFrameCodec.encode(ctx.alloc(), id, body));
    flushPending = true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    for (Disposable d : running.values()) {
      d.dispose();
    }
    running.clear();
    WireSession s = session;
    if (s != null) {
      s.closed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      // Our clients check the limit before sending; a peer that does not gets closed.
      log.warn("lane frame over the limit from {}; closing: {}", ctx.channel(), cause.toString());
    } else {
      log.debug("lane connection {} failed", ctx.channel(), cause);
    }
    ctx.close();
  }
}
