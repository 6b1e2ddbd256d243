package io.zproc.rsocket.lane;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a lane client's slow replies (a {@code when*} watcher waiting for a change, a turn at
 * the atomic lock) off their callers' threads: one thread and one selector for every such call of
 * the client, so a thousand waiting watchers hold a thousand idle sockets, not a thousand threads.
 * A cancelled call closes its connection, which ends its request on the server.
 */
final class LaneParker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LaneParker.class);

  private final LaneClient client;
  private final Selector selector;
  private final Queue<Parked> incoming = new ConcurrentLinkedQueue<>();
  private volatile boolean dead;

  LaneParker(LaneClient client) throws IOException {
    this.client = client;
    this.selector = Selector.open();
  }

  /** Starts this parker's thread. */
  void start() {
    Thread thread = new Thread(this, "zproc-lane-wait-" + JvmWide.THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  /** Wakes the thread, to see that the client is disposed. */
  void wakeup() {
    selector.wakeup();
  }

  void park(LaneConnection conn, LaneCall call) {
    call.onCancel = selector::wakeup;
    incoming.offer(new Parked(conn, call));
    selector.wakeup();
    if (dead) {
      failIncoming();
    }
  }

  @Override
  public void run() {
    List<Parked> done = new ArrayList<>();
    try {
      while (!client.disposed) {
        selector.select(50);
        for (SelectionKey key : selector.selectedKeys()) {
          Parked parked = (Parked) key.attachment();
          try {
            ByteBuffer reply = parked.conn.poll();
            if (reply != null) {
              key.cancel();
              parked.reply = reply;
              done.add(parked);
            }
          } catch (IOException e) {
            key.cancel();
            parked.conn.close();
            parked.call.fail(client.closed(e));
          }
        }
        selector.selectedKeys().clear();
        for (SelectionKey key : selector.keys()) {
          Parked parked = (Parked) key.attachment();
          if (key.isValid() && parked.call.isCancelled()) {
            key.cancel();
            parked.conn.close();
          }
        }
        // Deregisters the cancelled keys, so a released connection can be parked again.
        selector.selectNow();
        selector.selectedKeys().clear();
        for (Parked d : done) {
          client.release(d.conn);
          d.call.deliver(Objects.requireNonNull(d.reply, "a call is done once its reply is read"));
        }
        done.clear();
        Parked next;
        while ((next = incoming.poll()) != null) {
          if (next.call.isCancelled()) {
            next.conn.close();
            continue;
          }
          try {
            next.conn.channel.register(selector, SelectionKey.OP_READ, next);
          } catch (IOException | RuntimeException e) {
            next.conn.close();
            next.call.fail(client.closed(new IOException(e.toString(), e)));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("the lane's waiting thread for {} failed", client.address, e);
    } finally {
      dead = true;
      client.parkerEnded(this);
      failAll();
    }
  }

  private void failAll() {
    try {
      for (SelectionKey key : selector.keys()) {
        ((Parked) key.attachment()).fail();
      }
      selector.close();
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
    failIncoming();
  }

  private void failIncoming() {
    Parked next;
    while ((next = incoming.poll()) != null) {
      next.fail();
    }
  }

  /** A call waiting on the parker, with its connection, and its reply once read. */
  private final class Parked {
    final LaneConnection conn;
    final LaneCall call;
    @Nullable ByteBuffer reply;

    Parked(LaneConnection conn, LaneCall call) {
      this.conn = conn;
      this.call = call;
    }

    void fail() {
      conn.close();
      call.fail(client.closed(new IOException("the connection was closed")));
    }
  }
}
