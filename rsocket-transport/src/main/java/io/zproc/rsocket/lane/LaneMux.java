package io.zproc.rsocket.lane;

import io.zproc.rsocket.WireException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * A lane client's shared connection, for subscribers that do not block: any thread that may block
 * writes to it (frames are combined: whoever finds the writer free writes what is queued), and one
 * {@link Reader} thread reads the replies and runs what their subscribers do next.
 */
final class LaneMux implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LaneMux.class);

  private final LaneClient client;
  private final SocketChannel channel;
  private final Map<Integer, SharedCall> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final Queue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
  private volatile @Nullable Thread reader;
  private boolean readerQueued;
  volatile boolean dead;

  /**
   * @param channel a connection past its setup, in blocking mode
   */
  LaneMux(LaneClient client, SocketChannel channel) {
    this.client = client;
    this.channel = channel;
  }

  /** Starts the reader thread of this connection. */
  void start() {
    Thread thread = new Reader(this, "zproc-lane-" + JvmWide.THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  void send(SharedCall call, byte[] body) {
    int id;
    do {
      id = ids.incrementAndGet() & Integer.MAX_VALUE;
    } while (id == 0);
    pending.put(id, call);
    if (dead) {
      if (pending.remove(id) != null) {
        call.fail(client.closed(new IOException("the lane is closed")));
      }
      return;
    }
    enqueue(LaneFrameCodec.encode(id, body));
    // The id is published only once the request is queued, so a cancel that sees it queues its
    // cancel frame after the request; a cancel that came before is seen here. (A request that
    // waits on the server, a when* watcher, would otherwise stay there.)
    call.id = id;
    if (call.isCancelled()) {
      cancel(id);
    }
  }

  /**
   * Queues a frame and writes it, unless this is the reader thread, which writes what its
   * subscribers queued once it has delivered all replies it read: one write for many requests.
   */
  private void enqueue(ByteBuffer frame) {
    outbox.offer(frame);
    if (Thread.currentThread() == reader) {
      readerQueued = true;
    } else {
      drain();
    }
  }

  void cancel(int id) {
    if (pending.remove(id) != null && !dead) {
      enqueue(LaneFrameCodec.cancel(id));
    }
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      ByteBuffer frame;
      while ((frame = outbox.poll()) != null) {
        if (dead) {
          continue;
        }
        try {
          if (frame.remaining() > out.remaining()) {
            flush();
          }
          if (frame.remaining() > out.capacity()) {
            while (frame.hasRemaining()) {
              channel.write(frame);
            }
          } else {
            out.put(frame);
          }
        } catch (IOException e) {
          die(e);
        }
      }
      try {
        if (!dead) {
          flush();
        }
      } catch (IOException e) {
        die(e);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void flush() throws IOException {
    out.flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
    out.clear();
  }

  @Override
  public void run() {
    reader = Thread.currentThread();
    ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    try {
      while (true) {
        if (channel.read(in) < 0) {
          throw new IOException("the server closed the lane");
        }
        in.flip();
        int needed = 0;
        while (in.remaining() >= 4) {
          int at = in.position();
          int length = LaneFrameCodec.length(in, at);
          if (in.remaining() < 4 + length) {
            needed = 4 + length;
            break;
          }
          int id = LaneFrameCodec.id(in, at);
          byte[] body = LaneFrameCodec.body(in, at, length);
          in.position(at + 4 + length);
          if (id < 0) {
            SharedCall call = pending.get(-id);
            if (call != null) {
              // The server has taken the request in (a watcher now waits there), so its
              // thread's later requests cannot overtake it: they may take other connections.
              call.ended();
              if (call.progress != null && body.length > 0) {
                LaneCall.progress(call.progress, body);
              }
            }
            continue;
          }
          SharedCall call = pending.remove(id);
          if (call != null) {
            try {
              call.deliver(ByteBuffer.wrap(body));
            } catch (Throwable t) {
              Exceptions.throwIfJvmFatal(t);
              log.warn("a subscriber of {} failed on the lane's thread", client.address, t);
            }
          }
        }
        if (readerQueued) {
          readerQueued = false;
          drain();
        }
        in.compact();
        if (needed > in.capacity()) {
          ByteBuffer bigger = ByteBuffer.allocateDirect(needed);
          in.flip();
          bigger.put(in);
          in = bigger;
        }
      }
    } catch (IOException | RuntimeException e) {
      die(e);
    }
  }

  void die(Exception cause) {
    dead = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
    WireException error =
        cause instanceof IOException
            ? client.closed((IOException) cause)
            : new WireException(
                WireException.CONNECTION_CLOSED, "lane to " + client.address + " failed: " + cause);
    for (Integer id : pending.keySet()) {
      SharedCall call = pending.remove(id);
      if (call != null) {
        call.fail(error);
      }
    }
  }

  @Override
  public String toString() {
    return "shared lane " + client.path;
  }

  /** The thread that reads a shared connection's replies and runs what its subscribers do next. */
  static final class Reader extends Thread {
    Reader(Runnable run, String name) {
      super(run, name);
    }
  }
}
