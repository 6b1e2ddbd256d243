package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One pooled lane connection: a non-blocking channel with its own selector, used by one thread at a
 * time, with one request in flight; the caller writes its request and reads the reply itself.
 */
final class LaneConnection {
  final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final Path path;
  private final CallerSpin spinning;
  private ByteBuffer out = ByteBuffer.allocateDirect(4096);
  private ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
  private int nextId = 1;
  private int expected;
  private @Nullable Consumer<JsonNode> progress;
  private CallerSpin.Stats spin;

  /** What the server answered to the setup. */
  @Nullable JsonNode setupReply;

  LaneConnection(SocketChannel channel, Path path, CallerSpin spinning) throws IOException {
    this.channel = channel;
    this.path = path;
    this.spinning = spinning;
    this.spin = spinning.other();
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
  }

  /** Readies this connection for one call: where its progress goes, how it polls. */
  void prepare(@Nullable Consumer<JsonNode> progress, CallerSpin.Stats spin) {
    this.progress = progress;
    this.spin = spin;
  }

  void send(byte[] body) throws IOException {
    int id = nextId++;
    if (nextId == Integer.MAX_VALUE) {
      nextId = 1;
    }
    expected = id;
    int size = LaneFrameCodec.HEADER + body.length;
    if (out.capacity() < size) {
      out = ByteBuffer.allocateDirect(Math.max(size, out.capacity() * 2));
    }
    out.clear();
    LaneFrameCodec.encode(out, id, body);
    out.flip();
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        key.interestOps(SelectionKey.OP_WRITE);
        selector.select(1000);
        selector.selectedKeys().clear();
      }
    }
  }

  /**
   * Waits up to {@code nanos} for the reply to the last request.
   *
   * @return its body, or null if it has not come yet
   */
  @Nullable ByteBuffer await(long nanos) throws IOException {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      ByteBuffer body = frame();
      if (body != null) {
        return body;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      if (spinning.spun(channel, in, spin)) {
        continue;
      }
      key.interestOps(SelectionKey.OP_READ);
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      selector.selectedKeys().clear();
      if (channel.read(in) < 0) {
        throw new IOException("the server closed the lane");
      }
    }
  }

  /** Reads what has come without waiting: the reply, or null if it is not all here yet. */
  @Nullable ByteBuffer poll() throws IOException {
    while (true) {
      ByteBuffer body = frame();
      if (body != null) {
        return body;
      }
      int read = channel.read(in);
      if (read < 0) {
        throw new IOException("the server closed the lane");
      }
      if (read == 0) {
        return frame();
      }
    }
  }

  /** The next complete frame in the read buffer, or null. */
  private @Nullable ByteBuffer frame() throws IOException {
    if (in.position() < LaneFrameCodec.HEADER) {
      return null;
    }
    int length = LaneFrameCodec.length(in, 0);
    int total = 4 + length;
    if (in.position() < total) {
      if (in.capacity() < total) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(total);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      return null;
    }
    int id = LaneFrameCodec.id(in, 0);
    if (id < 0) {
      // Progress of a request: for the caller, if it is this one's and wants it.
      Consumer<JsonNode> p = progress;
      if (id == -expected && length > 4 && p != null) {
        LaneCall.progress(p, LaneFrameCodec.body(in, 0, length));
      }
      in.limit(in.position()).position(total);
      in.compact();
      return frame();
    }
    if (id != expected) {
      throw new IOException("lane reply for request " + id + " while waiting for " + expected);
    }
    byte[] body = LaneFrameCodec.body(in, 0, length);
    // Only one request is in flight, so nothing should follow; keep whatever does.
    in.limit(in.position()).position(total);
    in.compact();
    return ByteBuffer.wrap(body);
  }

  /** The channel, in blocking mode, for the shared connection; this connection is done. */
  SocketChannel detach() throws IOException {
    selector.close();
    channel.configureBlocking(true);
    return channel;
  }

  void close() {
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "lane " + path;
  }
}
