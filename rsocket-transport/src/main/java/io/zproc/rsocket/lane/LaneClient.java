package io.zproc.rsocket.lane;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.zproc.rsocket.BlockedCaller;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.PeerCheck;
import io.zproc.rsocket.internal.PrivateDir;
import io.zproc.rsocket.internal.Setup;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.scheduler.Schedulers;

/**
 * The client side of the lane, the same-host fast path for callers that block: a small pool of
 * unix-domain connections to the server's lane socket (see {@link LaneServer}), each used by one
 * calling thread at a time, which writes its request and reads the reply itself. A round trip then
 * wakes two threads (the caller and the server's event loop) instead of the four of an RSocket
 * request, where the caller hands the request to the client's event loop and is woken by it.
 *
 * <p>Only a subscription that ends in one of Reactor's blocking subscribers ({@code block()},
 * {@code blockFirst()}, ...) made on a thread that may block takes a pooled connection ({@link
 * #takes}); other subscriptions on such threads may take the shared connection ({@link
 * #takesAsync}, {@link LaneMux}); everything else goes another way, which the caller chooses (see
 * {@code RoutingWireClient}). If the reply takes longer than {@link #SYNC_WAIT}, the wait moves to
 * the client's parker thread ({@link LaneParker}), so that {@code block(timeout)} still times out.
 *
 * <p><b>Threading:</b> thread-safe; a pooled connection is owned by one caller at a time.
 */
public final class LaneClient {
  private static final Logger log = LoggerFactory.getLogger(LaneClient.class);

  /** How long a caller reads for its reply itself before handing the wait to another thread. */
  static final Duration SYNC_WAIT = Duration.ofMillis(5);

  private static final int MAX_IDLE = 8;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  final Path path;
  final WireAddress address;
  private final byte[] setup;
  private final CallerSpin spinning;
  private volatile int maxFrameSize;
  private final ConcurrentLinkedDeque<LaneConnection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  volatile boolean disposed;
  private final ThreadLocal<AtomicInteger> inFlight = ThreadLocal.withInitial(AtomicInteger::new);
  private final Object lock = new Object();
  private volatile @Nullable LaneMux mux;
  private volatile @Nullable LaneParker parker;
  final AtomicLong served = new AtomicLong();
  final AtomicLong servedShared = new AtomicLong();

  private LaneClient(
      Path path, byte[] setup, WireAddress address, int maxFrameSize, Duration spin) {
    this.path = path;
    this.setup = setup;
    this.address = address;
    this.maxFrameSize = maxFrameSize;
    this.spinning = new CallerSpin(spin.toNanos());
  }

  /**
   * Opens a lane: one connection, checked with the setup round trip. Blocking.
   *
   * @param path the server's lane socket
   * @param setup the setup to present, joining the client's RSocket connection
   * @param address the server's address, for messages
   * @param timeout how long the setup round trip may take
   * @param spin how long a caller polls for its reply before sleeping; zero for never
   * @throws IOException if the socket is unusable
   * @throws WireException if the server refused the setup
   */
  public static LaneClient open(
      Path path, Setup setup, WireAddress address, Duration timeout, Duration spin)
      throws IOException {
    LaneClient lane =
        new LaneClient(
            path, setup.encode(), address, WireServerOptions.DEFAULT_MAX_FRAME_SIZE, spin);
    LaneConnection first = lane.connect(timeout);
    JsonNode info = first.setupReply;
    if (info != null && info.get("maxFrame") != null && info.get("maxFrame").canConvertToInt()) {
      lane.maxFrameSize = info.get("maxFrame").intValue();
    }
    lane.release(first);
    return lane;
  }

  /**
   * A lane that connects on first use, so that a client that never calls costs no socket and no
   * thread. If a connection cannot be made (no lane socket, a refused setup), the lane closes for
   * good and every call takes its fallback.
   *
   * @param maxFrameSize the server's frame limit, as it said at its RSocket connection's setup
   * @param spin how long a caller polls for its reply before sleeping; zero for never
   */
  public static LaneClient lazy(
      Path path, Setup setup, WireAddress address, int maxFrameSize, Duration spin) {
    return new LaneClient(path, setup.encode(), address, maxFrameSize, spin);
  }

  /**
   * Whether this subscription may take a pooled connection: a blocking subscriber on a blocking
   * thread.
   */
  public boolean takes(Subscriber<?> actual) {
    return !disposed
        && !Schedulers.isInNonBlockingThread()
        // A thread with requests in flight on the shared connection sends there too, to keep its
        // requests in order; but a reader that blocks must not wait for a reply only it can read.
        && (inFlight.get().get() == 0 || Thread.currentThread() instanceof LaneMux.Reader)
        && BlockedCaller.is(actual);
  }

  /**
   * Whether a subscription that does not block may take the lane's shared connection: one made on a
   * thread that may block (a caller's own thread, or the lane's reader continuing a chain). Reactor
   * and Netty threads must go another way, so that they never wait for a socket write.
   */
  public boolean takesAsync() {
    return !disposed && !Schedulers.isInNonBlockingThread();
  }

  /**
   * Sends an encoded request over the shared connection; the reply is delivered on the lane's
   * reader thread. Calls {@code fallback} if the connection cannot be had.
   *
   * @param request the request, for its progress consumer
   * @param encoded the request, encoded and checked against {@link #maxFrameSize()}
   */
  public void send(
      WireRequest request,
      byte[] encoded,
      CoreSubscriber<? super JsonNode> actual,
      Runnable fallback) {
    LaneMux m;
    try {
      m = mux();
    } catch (IOException | RuntimeException e) {
      fallback.run();
      return;
    }
    AtomicInteger counter = inFlight.get();
    counter.incrementAndGet();
    SharedCall call = new SharedCall(actual, this, m, counter, request.progress());
    actual.onSubscribe(call);
    if (call.isCancelled()) {
      call.ended();
      return;
    }
    m.send(call, encoded);
  }

  /**
   * Sends an encoded request on a pooled connection of this thread's own and delivers the reply to
   * {@code actual}; calls {@code fallback} if no connection can be had.
   *
   * @param request the request, for its progress consumer and its kind ({@link CallerSpin})
   * @param encoded the request, encoded and checked against {@link #maxFrameSize()}
   */
  public void call(
      WireRequest request,
      byte[] encoded,
      CoreSubscriber<? super JsonNode> actual,
      Runnable fallback) {
    LaneConnection conn = idle.pollFirst();
    if (conn != null) {
      idleCount.decrementAndGet();
    } else {
      try {
        conn = connect(CONNECT_TIMEOUT);
      } catch (IOException | RuntimeException e) {
        unusable(e);
        fallback.run();
        return;
      }
    }
    LaneCall call = new LaneCall(actual, this, conn);
    actual.onSubscribe(call);
    if (call.isCancelled()) {
      release(conn);
      return;
    }
    conn.prepare(request.progress(), spinning.of(request.op()));
    ByteBuffer reply;
    try {
      conn.send(encoded);
      reply = conn.await(SYNC_WAIT.toNanos());
    } catch (IOException e) {
      conn.close();
      call.fail(closed(e));
      return;
    }
    if (reply != null) {
      release(conn);
      call.deliver(reply);
      return;
    }
    parker().park(conn, call);
  }

  private LaneMux mux() throws IOException {
    LaneMux m = mux;
    if (m != null && !m.dead) {
      return m;
    }
    synchronized (lock) {
      m = mux;
      if (m != null && !m.dead) {
        return m;
      }
      if (disposed) {
        throw new IOException("the lane is closed");
      }
      LaneConnection conn;
      try {
        conn = connect(CONNECT_TIMEOUT);
      } catch (IOException | RuntimeException e) {
        unusable(e);
        throw e;
      }
      m = new LaneMux(this, conn.detach());
      mux = m;
      m.start();
      if (disposed) {
        m.die(new IOException("the lane is closed"));
      }
      return m;
    }
  }

  private LaneParker parker() {
    LaneParker p = parker;
    if (p != null) {
      return p;
    }
    synchronized (lock) {
      p = parker;
      if (p == null) {
        try {
          p = new LaneParker(this);
        } catch (IOException e) {
          throw new IllegalStateException("cannot open a selector", e);
        }
        p.start();
        parker = p;
      }
      return p;
    }
  }

  /** The parker's thread has ended: a later slow call starts another. */
  void parkerEnded(LaneParker ended) {
    synchronized (lock) {
      if (parker == ended) {
        parker = null;
      }
    }
  }

  /** A connection could not be made: close the lane, calls take their fallback from now on. */
  private void unusable(Exception e) {
    if (!disposed) {
      log.debug("lane {} unusable; requests use the RSocket connection", path, e);
      dispose();
    }
  }

  WireException closed(IOException e) {
    return new WireException(
        WireException.CONNECTION_CLOSED, "connection to " + address + " failed: " + e, e);
  }

  /** How many replies came over this lane (for tests and monitoring). */
  public long served() {
    return served.get();
  }

  /** How many of those came over the shared connection. */
  public long servedShared() {
    return servedShared.get();
  }

  /** How many connections wait in the pool. */
  public int idle() {
    return idleCount.get();
  }

  /** The server's frame limit, as it said at setup. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  private LaneConnection connect(Duration timeout) throws IOException {
    if (!PrivateDir.ownedByMe(path)) {
      // it must be this user's own socket, in its private directory: the setup carries the key
      throw new IOException("the lane socket " + path + " is not this user's own");
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    LaneConnection conn;
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      // the setup carries the key: only to a server of this user's
      PeerCheck.requireMe(channel);
      channel.configureBlocking(false);
      conn = new LaneConnection(channel, path, spinning);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    try {
      conn.send(setup);
      ByteBuffer reply = conn.await(timeout.toNanos());
      if (reply == null) {
        throw new IOException("the lane at " + path + " did not answer in " + timeout);
      }
      WireReply decoded = CborCodec.decodeReply(Unpooled.wrappedBuffer(reply));
      if (decoded instanceof WireReply.Failure) {
        throw ((WireReply.Failure) decoded).toException();
      }
      conn.setupReply = ((WireReply.Result) decoded).value();
      return conn;
    } catch (IOException | RuntimeException e) {
      conn.close();
      throw e;
    }
  }

  /** Puts a connection back in the pool, or closes it if the pool is full or the lane closed. */
  void release(LaneConnection conn) {
    if (disposed || idleCount.incrementAndGet() > MAX_IDLE) {
      if (!disposed) {
        idleCount.decrementAndGet();
      }
      conn.close();
      return;
    }
    idle.offerFirst(conn);
    if (disposed) {
      closeIdle();
    }
  }

  /** Closes the idle connections and the shared one; connections in use close when done. */
  public void dispose() {
    disposed = true;
    closeIdle();
    LaneParker p = parker;
    if (p != null) {
      p.wakeup();
    }
    LaneMux m = mux;
    if (m != null) {
      m.die(new IOException("the lane is closed"));
    }
  }

  private void closeIdle() {
    LaneConnection conn;
    while ((conn = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      conn.close();
    }
  }
}
