package io.zproc.rsocket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.rsocket.DuplexConnection;
import io.rsocket.RSocketErrorException;
import io.rsocket.exceptions.ConnectionErrorException;
import io.rsocket.frame.FrameHeaderCodec;
import io.rsocket.frame.FrameType;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Bounds what a server holds for one connection, both ways:
 *
 * <ul>
 *   <li><b>Output a peer does not read.</b> rsocket-java queues outgoing frames without limit while
 *       the socket is not writable, so a peer that asks for every change and then stops reading
 *       would grow the server's heap by one frame per change. The guard counts the bytes of each
 *       frame handed to the connection and the bytes that reach the socket's pipeline.
 *   <li><b>Input being reassembled.</b> rsocket-java reassembles a fragmented request per stream,
 *       each up to the frame limit, and a peer may start many at once and never finish them. The
 *       guard counts the bytes of unfinished fragmented requests.
 * </ul>
 *
 * <p>When either passes the limit, the connection is closed with a {@link ConnectionErrorException}
 * that says why, and what was queued for it is released.
 *
 * <p>Install with {@link #install}: it wraps the connection rsocket-java uses and adds a handler to
 * the channel. <b>Threading:</b> {@link #sendFrame} runs on any thread; the handler on the
 * channel's event loop.
 */
public final class ConnectionGuard implements DuplexConnection {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  /** How long a connection closed for sending too much has to take its error frame. */
  private static final long CLOSE_GRACE_MILLIS = 2000;

  private final DuplexConnection delegate;
  private final Connection connection;
  private final long limit;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean tripped = new AtomicBoolean();

  /** Bytes of unfinished fragmented requests, by stream; read and written on the event loop. */
  private final Map<Integer, Long> reassembling = new HashMap<>();

  private long reassemblingBytes;

  private ConnectionGuard(DuplexConnection delegate, Connection connection, long limit) {
    this.delegate = delegate;
    this.connection = connection;
    this.limit = limit;
  }

  /**
   * Guards a server connection.
   *
   * @param delegate rsocket-java's connection over {@code connection}
   * @param connection the channel it writes to
   * @param limit the most bytes that may wait to be written before the connection is closed
   * @param prefix the bytes the transport adds before each frame on the channel (3, the length
   *     field, for TCP; 0 for WebSocket, where a frame is one binary message)
   * @return the connection to hand to rsocket-java
   */
  public static DuplexConnection install(
      DuplexConnection delegate, Connection connection, long limit, int prefix) {
    ConnectionGuard guard = new ConnectionGuard(delegate, connection, limit);
    connection.addHandlerLast("zproc.output-guard", guard.new Drained(prefix));
    return guard;
  }

  @Override
  public void sendFrame(int streamId, ByteBuf frame) {
    if (tripped.get()) {
      frame.release();
      return;
    }
    long now = pending.addAndGet(frame.readableBytes()) + inChannel();
    if (now > limit) {
      frame.release();
      trip(
          now
              + " bytes of replies and changes waited for it to read, above the server's limit of "
              + limit
              + " (maxPendingBytesPerConnection); read what you request, or request less at a"
              + " time",
          false);
      return;
    }
    delegate.sendFrame(streamId, frame);
  }

  /**
   * Closes the connection with an error frame that says why.
   *
   * @param graceful whether the peer reads (it sent too much): reading stops, the error goes out
   *     and the connection closes once it is written, or after {@link #CLOSE_GRACE_MILLIS}.
   *     Otherwise (the peer reads nothing) it closes at once, which cancels its streams and frees
   *     the queue.
   */
  private void trip(String why, boolean graceful) {
    if (!tripped.compareAndSet(false, true)) {
      return;
    }
    String reason = "the server closed this connection: " + why;
    log.warn("closing the connection from {}: {}", remoteAddress(), reason);
    delegate.sendErrorAndClose(new ConnectionErrorException(reason));
    if (graceful) {
      connection.channel().config().setAutoRead(false);
      connection
          .channel()
          .eventLoop()
          .schedule(this::close, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      close();
    }
  }

  private void close() {
    delegate.dispose();
    connection.dispose();
  }

  /** The bytes written to the channel that have not reached the socket yet. */
  private long inChannel() {
    ChannelOutboundBuffer buffer = connection.channel().unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  @Override
  public void sendErrorAndClose(RSocketErrorException e) {
    delegate.sendErrorAndClose(e);
  }

  @Override
  public Flux<ByteBuf> receive() {
    return delegate
        .receive()
        .handle(
            (frame, sink) -> {
              // once tripped, what was read already is dropped: nothing new starts on a connection
              // being closed (rsocket-java would keep a fragment that comes after it terminated)
              if (tripped.get() || !received(frame)) {
                frame.release();
              } else {
                sink.next(frame);
              }
            });
  }

  /** Counts the fragments of requests not yet whole; false if this one tripped the limit. */
  private boolean received(ByteBuf frame) {
    int streamId = FrameHeaderCodec.streamId(frame);
    if (streamId == 0) {
      return true;
    }
    FrameType type = FrameHeaderCodec.frameType(frame);
    boolean follows = FrameHeaderCodec.hasFollows(frame);
    if (type == FrameType.CANCEL || type == FrameType.ERROR || !follows) {
      Long done = reassembling.remove(streamId);
      if (done != null) {
        reassemblingBytes -= done;
      }
      return true;
    }
    int bytes = frame.readableBytes();
    reassembling.merge(streamId, (long) bytes, Long::sum);
    reassemblingBytes += bytes;
    if (reassemblingBytes > limit) {
      trip(
          reassemblingBytes
              + " bytes of fragmented requests (in "
              + reassembling.size()
              + " streams) were not finished, above the server's limit of "
              + limit
              + " (maxPendingBytesPerConnection); finish one request before starting many",
          true);
      return false;
    }
    return true;
  }

  @Override
  public ByteBufAllocator alloc() {
    return delegate.alloc();
  }

  @Override
  public SocketAddress remoteAddress() {
    return delegate.remoteAddress();
  }

  @Override
  public double availability() {
    return delegate.availability();
  }

  @Override
  public Mono<Void> onClose() {
    return delegate.onClose();
  }

  @Override
  public void dispose() {
    delegate.dispose();
  }

  @Override
  public boolean isDisposed() {
    return delegate.isDisposed();
  }

  /** Counts the frames that leave rsocket-java's queue for the channel. */
  private final class Drained extends ChannelDuplexHandler {
    private final int prefix;

    Drained(int prefix) {
      this.prefix = prefix;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof ByteBuf) {
        pending.addAndGet(-Math.max(0, ((ByteBuf) msg).readableBytes() - prefix));
      } else if (msg instanceof BinaryWebSocketFrame) {
        pending.addAndGet(-((ByteBufHolder) msg).content().readableBytes());
      }
      ctx.write(msg, promise);
    }
  }
}
