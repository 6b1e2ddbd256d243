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
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Bounds what a server holds for one connection that does not read: rsocket-java queues outgoing
 * frames without limit while the socket is not writable, so a peer that asks for every change and
 * then stops reading would grow the server's heap by one frame per change. The guard counts the
 * bytes of each frame handed to the connection and the bytes that reach the socket's pipeline; when
 * the difference passes the limit, the connection is closed with a {@link ConnectionErrorException}
 * that says why, and the frames queued for it are released.
 *
 * <p>Install with {@link #install}: it wraps the connection rsocket-java uses and adds a handler to
 * the channel. <b>Threading:</b> {@link #sendFrame} runs on any thread; the handler on the
 * channel's event loop.
 */
public final class OutputGuard implements DuplexConnection {
  private static final Logger log = LoggerFactory.getLogger(OutputGuard.class);

  private final DuplexConnection delegate;
  private final Connection connection;
  private final long limit;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean tripped = new AtomicBoolean();

  private OutputGuard(DuplexConnection delegate, Connection connection, long limit) {
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
    OutputGuard guard = new OutputGuard(delegate, connection, limit);
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
      trip(now);
      return;
    }
    delegate.sendFrame(streamId, frame);
  }

  private void trip(long now) {
    if (!tripped.compareAndSet(false, true)) {
      return;
    }
    String reason =
        "the server closed this connection: "
            + now
            + " bytes of replies and changes waited for it to read, above the server's limit of "
            + limit
            + " (maxPendingBytesPerConnection); read what you request, or request less at a time";
    log.warn("closing the connection from {}: it does not read ({})", remoteAddress(), reason);
    // The error goes out ahead of the queue, for a peer that reads slowly rather than not at all;
    // the connection closes at once all the same, which cancels its streams and frees the queue.
    delegate.sendErrorAndClose(new ConnectionErrorException(reason));
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
    return delegate.receive();
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
