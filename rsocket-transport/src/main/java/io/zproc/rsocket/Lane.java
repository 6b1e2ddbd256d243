package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.Blocking;
import io.zproc.rsocket.internal.LaneHints;
import io.zproc.rsocket.internal.PeerCheck;
import io.zproc.rsocket.internal.PrivateDir;
import io.zproc.rsocket.internal.Setup;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;

/**
 * The same-host fast path for callers that block: a small pool of unix-domain connections to the
 * server's lane socket (see {@code LaneHandler}), each used by one calling thread at a time, which
 * writes its request and reads the reply itself. A round trip then wakes two threads (the caller
 * and the server's event loop) instead of the four of an RSocket request, where the caller hands
 * the request to the client's event loop and is woken by it.
 *
 * <p>Only a subscription that ends in one of Reactor's blocking subscribers ({@code block()},
 * {@code blockFirst()}, ...) made on a thread that may block takes the lane; everything else goes
 * the RSocket way. If the reply takes longer than {@link #SYNC_WAIT}, the wait moves to a {@link
 * Schedulers#boundedElastic()} thread, so that {@code block(timeout)} still times out.
 *
 * <p><b>Threading:</b> thread-safe; a connection is owned by one caller at a time.
 */
final class Lane {
  private static final Logger log = LoggerFactory.getLogger(Lane.class);

  /** How long a caller reads for its reply itself before handing the wait to another thread. */
  static final Duration SYNC_WAIT = Duration.ofMillis(5);

  private static final int MAX_IDLE = 8;

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long one caller at a time polls for its reply before sleeping ({@code
   * io.zproc.lane.spinMicros}).
   */
  private static final long SPIN_NANOS =
      TimeUnit.MICROSECONDS.toNanos(Long.getLong("io.zproc.lane.spinMicros", 50));

  private static final AtomicBoolean SPINNING = new AtomicBoolean();

  /**
   * Whether polling paid off, per operation: an operation whose replies come at once (a write)
   * keeps polling while one that waits on the server (an atomic turn, a watcher) stops.
   */
  private static final ConcurrentHashMap<String, Spin> SPINS = new ConcurrentHashMap<>();

  /** How many operation names {@link #SPINS} keeps apart; later ones share one record. */
  private static final int MAX_SPIN_KINDS = 64;

  private static final Spin OTHER_SPIN = new Spin();

  private final Path path;
  private final byte[] setup;
  private final WireAddress address;
  private volatile int maxFrameSize = WireServerOptions.DEFAULT_MAX_FRAME_SIZE;
  private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean disposed;
  private static final AtomicInteger READERS = new AtomicInteger();
  private final ThreadLocal<AtomicInteger> inFlight = ThreadLocal.withInitial(AtomicInteger::new);
  private final Object muxLock = new Object();
  private volatile @Nullable Mux mux;
  private volatile @Nullable Parker parker;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong servedShared = new AtomicLong();

  private Lane(Path path, byte[] setup, WireAddress address) {
    this.path = path;
    this.setup = setup;
    this.address = address;
  }

  /**
   * Opens the lane: one connection, checked with the setup round trip. Blocking.
   *
   * @throws IOException if the socket is unusable
   * @throws WireException if the server refused the setup
   */
  static Lane open(Path path, Setup setup, WireAddress address, Duration timeout)
      throws IOException {
    Lane lane = new Lane(path, setup.encode(), address);
    Conn first = lane.connect(timeout);
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
   * good and every call goes the RSocket way.
   */
  static Lane lazy(Path path, Setup setup, WireAddress address, int maxFrameSize) {
    Lane lane = new Lane(path, setup.encode(), address);
    lane.maxFrameSize = maxFrameSize;
    return lane;
  }

  /** Whether this subscription may take the lane: a blocking subscriber on a blocking thread. */
  boolean takes(Subscriber<?> actual) {
    return !disposed
        && !Schedulers.isInNonBlockingThread()
        // A thread with requests in flight on the shared connection sends there too, to keep its
        // requests in order; but a reader that blocks must not wait for a reply only it can read.
        && (inFlight.get().get() == 0 || Thread.currentThread() instanceof Reader)
        && Blocking.downstream(actual);
  }

  /**
   * Whether a subscription that does not block may take the lane's shared connection: one made on a
   * thread that may block (a caller's own thread, or the lane's reader continuing a chain). Reactor
   * and Netty threads use RSocket, so that they never wait for a socket write.
   */
  boolean takesAsync() {
    return !disposed && !Schedulers.isInNonBlockingThread();
  }

  /**
   * Sends an encoded request over the shared connection; the reply is delivered on the lane's
   * reader thread. Calls {@code fallback} if the connection cannot be had.
   */
  void send(byte[] request, CoreSubscriber<? super JsonNode> actual, Runnable fallback) {
    Mux m;
    try {
      m = mux();
    } catch (IOException | RuntimeException e) {
      fallback.run();
      return;
    }
    AtomicInteger counter = inFlight.get();
    counter.incrementAndGet();
    MuxCall call = new MuxCall(actual, m, counter);
    actual.onSubscribe(call);
    if (call.isCancelled()) {
      call.ended();
      return;
    }
    m.send(call, request);
  }

  private static Spin spinOf(String op) {
    Spin spin = SPINS.get(op);
    if (spin == null) {
      spin =
          SPINS.size() < MAX_SPIN_KINDS ? SPINS.computeIfAbsent(op, k -> new Spin()) : OTHER_SPIN;
    }
    return spin;
  }

  /**
   * Polling statistics of one operation: after polls that came back empty-handed (slow replies: a
   * busy machine, or a wait on the server), its calls skip polling for 2, 4, ... up to 64 calls;
   * one that succeeds starts over.
   */
  private static final class Spin {
    final AtomicInteger misses = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger resume = new AtomicInteger();
  }

  private Mux mux() throws IOException {
    Mux m = mux;
    if (m != null && !m.dead) {
      return m;
    }
    synchronized (muxLock) {
      m = mux;
      if (m != null && !m.dead) {
        return m;
      }
      if (disposed) {
        throw new IOException("the lane is closed");
      }
      Conn conn;
      try {
        conn = connect(CONNECT_TIMEOUT);
      } catch (IOException | RuntimeException e) {
        unusable(e);
        throw e;
      }
      m = new Mux(conn.detach());
      mux = m;
      Thread reader = new Reader(m, "zproc-lane-" + READERS.incrementAndGet());
      reader.setDaemon(true);
      reader.start();
      if (disposed) {
        m.die(new IOException("the lane is closed"));
      }
      return m;
    }
  }

  /**
   * Sends an encoded request and delivers the reply to {@code actual}; calls {@code fallback} if no
   * connection can be had.
   */
  void call(String op, byte[] request, CoreSubscriber<? super JsonNode> actual, Runnable fallback) {
    Conn conn = idle.pollFirst();
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
    Call call = new Call(actual, conn);
    actual.onSubscribe(call);
    if (call.isCancelled()) {
      release(conn);
      return;
    }
    conn.progress = progressOf(actual);
    conn.spin = spinOf(op);
    ByteBuffer reply;
    try {
      conn.send(request);
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

  private Parker parker() {
    Parker p = parker;
    if (p != null) {
      return p;
    }
    synchronized (muxLock) {
      p = parker;
      if (p == null) {
        try {
          p = new Parker();
        } catch (IOException e) {
          throw new IllegalStateException("cannot open a selector", e);
        }
        Thread thread = new Thread(p, "zproc-lane-wait-" + READERS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
        parker = p;
      }
      return p;
    }
  }

  /**
   * Waits for slow replies (a {@code when*} watcher waiting for a change, a turn at the atomic
   * lock) off their callers' threads: one thread and one selector for every such call of this lane,
   * so a thousand waiting watchers hold a thousand idle sockets, not a thousand threads. A
   * cancelled call closes its connection, which ends its request on the server.
   */
  private final class Parker implements Runnable {
    private final Selector selector;
    private final Queue<Parked> incoming = new ConcurrentLinkedQueue<>();
    private volatile boolean dead;

    Parker() throws IOException {
      this.selector = Selector.open();
    }

    void park(Conn conn, Call call) {
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
        while (!disposed) {
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
              parked.call.fail(closed(e));
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
            release(d.conn);
            d.call.deliver(d.reply);
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
              next.call.fail(closed(new IOException(e.toString(), e)));
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        log.warn("the lane's waiting thread for {} failed", address, e);
      } finally {
        dead = true;
        synchronized (muxLock) {
          if (parker == this) {
            parker = null;
          }
        }
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
  }

  /** A call waiting on the parker, with its connection, and its reply once read. */
  private final class Parked {
    final Conn conn;
    final Call call;
    @Nullable ByteBuffer reply;

    Parked(Conn conn, Call call) {
      this.conn = conn;
      this.call = call;
    }

    void fail() {
      conn.close();
      call.fail(closed(new IOException("the connection was closed")));
    }
  }

  /** The progress consumer the subscriber's context carries, if any ({@link LaneHints}). */
  @SuppressWarnings("unchecked")
  private static @Nullable Consumer<JsonNode> progressOf(CoreSubscriber<?> actual) {
    Object p = actual.currentContext().getOrDefault(LaneHints.PROGRESS, null);
    return p instanceof Consumer ? (Consumer<JsonNode>) p : null;
  }

  private static void progress(Consumer<JsonNode> consumer, byte[] body) {
    try {
      consumer.accept(CborCodec.decode(body));
    } catch (RuntimeException e) {
      log.debug("a lane progress message could not be taken", e);
    }
  }

  /** A connection could not be made: close the lane, calls go the RSocket way from now on. */
  private void unusable(Exception e) {
    if (!disposed) {
      log.debug("lane {} unusable; requests use the RSocket connection", path, e);
      dispose();
    }
  }

  private WireException closed(IOException e) {
    return new WireException(
        WireException.CONNECTION_CLOSED, "connection to " + address + " failed: " + e, e);
  }

  /** How many replies came over this lane (for tests and monitoring). */
  long served() {
    return served.get();
  }

  /** How many of those came over the shared connection. */
  long servedShared() {
    return servedShared.get();
  }

  /** How many connections wait in the pool. */
  int idle() {
    return idleCount.get();
  }

  /** The server's frame limit, as it said at setup. */
  int maxFrameSize() {
    return maxFrameSize;
  }

  private Conn connect(Duration timeout) throws IOException {
    if (!PrivateDir.ownedByMe(path)) {
      // it must be this user's own socket, in its private directory: the setup carries the key
      throw new IOException("the lane socket " + path + " is not this user's own");
    }
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    Conn conn;
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
      // the setup carries the key: only to a server of this user's
      PeerCheck.requireMe(channel);
      channel.configureBlocking(false);
      conn = new Conn(channel);
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
      WireReply decoded = decode(reply);
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

  private void release(Conn conn) {
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
  void dispose() {
    disposed = true;
    closeIdle();
    Parker p = parker;
    if (p != null) {
      p.selector.wakeup();
    }
    Mux m = mux;
    if (m != null) {
      m.die(new IOException("the lane is closed"));
    }
  }

  private void closeIdle() {
    Conn conn;
    while ((conn = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      conn.close();
    }
  }

  private static WireReply decode(ByteBuffer body) {
    return CborCodec.decodeReply(Unpooled.wrappedBuffer(body));
  }

  /** One call's subscription: delivers the reply when requested, notes a cancel. */
  private class Call extends Operators.MonoSubscriber<JsonNode, JsonNode> {
    private final Object conn;
    volatile @Nullable Runnable onCancel;

    Call(CoreSubscriber<? super JsonNode> actual, Object conn) {
      super(actual);
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
      served.incrementAndGet();
      ended();
      WireReply reply;
      try {
        reply = decode(body);
      } catch (CodecException e) {
        fail(
            new WireException(
                WireException.INTERNAL,
                "malformed reply from " + address + ": " + e.getMessage(),
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

    @Override
    public Object scanUnsafe(Attr key) {
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

  /** One connection: non-blocking channel with its own selector, used by one thread at a time. */
  private final class Conn {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private ByteBuffer out = ByteBuffer.allocateDirect(4096);
    private ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
    private int nextId = 1;
    private int expected;
    private @Nullable Consumer<JsonNode> progress;
    private Spin spin = OTHER_SPIN;
    @Nullable JsonNode setupReply;

    Conn(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.selector = Selector.open();
      this.key = channel.register(selector, 0);
    }

    void send(byte[] body) throws IOException {
      int id = nextId++;
      if (nextId == Integer.MAX_VALUE) {
        nextId = 1;
      }
      expected = id;
      int size = 8 + body.length;
      if (out.capacity() < size) {
        out = ByteBuffer.allocateDirect(Math.max(size, out.capacity() * 2));
      }
      out.clear();
      out.putInt(4 + body.length).putInt(id).put(body).flip();
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
        if (spun()) {
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

    /**
     * Polls for the reply for a few microseconds before sleeping in the selector, if no other
     * caller of this JVM is polling: on a virtual machine, waking a sleeping thread can take longer
     * than the whole round trip.
     *
     * @return whether bytes came
     */
    private boolean spun() throws IOException {
      if (SPIN_NANOS <= 0) {
        return false;
      }
      Spin spin = this.spin;
      int call = spin.calls.incrementAndGet();
      if (call - spin.resume.get() < 0) {
        return false;
      }
      if (!SPINNING.compareAndSet(false, true)) {
        return false;
      }
      try {
        long until = System.nanoTime() + SPIN_NANOS;
        do {
          int read = channel.read(in);
          if (read < 0) {
            throw new IOException("the server closed the lane");
          }
          if (read > 0) {
            spin.misses.set(0);
            return true;
          }
          Thread.onSpinWait();
        } while (System.nanoTime() < until);
        int misses = spin.misses.incrementAndGet();
        spin.resume.set(call + (1 << Math.min(misses, 6)));
        return false;
      } finally {
        SPINNING.set(false);
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
      if (in.position() < 8) {
        return null;
      }
      int length = in.getInt(0);
      if (length < 4) {
        throw new IOException("malformed lane frame of length " + length);
      }
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
      int id = in.getInt(4);
      if (id < 0) {
        // Progress of a request (LaneHints): for the caller, if it is this one's and wants it.
        if (id == -expected && length > 4 && progress != null) {
          byte[] body = new byte[length - 4];
          in.get(8, body);
          Lane.progress(progress, body);
        }
        in.limit(in.position()).position(total);
        in.compact();
        return frame();
      }
      if (id != expected) {
        throw new IOException("lane reply for request " + id + " while waiting for " + expected);
      }
      byte[] body = new byte[length - 4];
      in.get(8, body);
      // Only one request is in flight, so nothing should follow; keep whatever does.
      in.limit(in.position()).position(total);
      in.compact();
      return ByteBuffer.wrap(body);
    }

    /** The channel, in blocking mode, for the shared connection; this Conn is done. */
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

  /** The thread that reads a shared connection's replies and runs what its subscribers do next. */
  private static final class Reader extends Thread {
    Reader(Runnable run, String name) {
      super(run, name);
    }
  }

  /** A call over the shared connection: ends its thread's in-flight count, sends a cancel. */
  private final class MuxCall extends Call {
    private final Mux mux;
    private final AtomicInteger counter;
    private final AtomicBoolean over = new AtomicBoolean();
    volatile int id;

    final @Nullable Consumer<JsonNode> progress;

    MuxCall(CoreSubscriber<? super JsonNode> actual, Mux mux, AtomicInteger counter) {
      super(actual, mux);
      this.mux = mux;
      this.counter = counter;
      this.progress = progressOf(actual);
    }

    @Override
    void ended() {
      if (over.compareAndSet(false, true)) {
        counter.decrementAndGet();
      }
    }

    @Override
    void deliver(ByteBuffer body) {
      servedShared.incrementAndGet();
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

  /**
   * The shared connection: any thread that may block writes to it (frames are combined: whoever
   * finds the writer free writes what is queued), and one reader thread delivers the replies.
   */
  private final class Mux implements Runnable {
    private final SocketChannel channel;
    private final Map<Integer, MuxCall> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Queue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
    private volatile @Nullable Thread reader;
    private boolean readerQueued;
    volatile boolean dead;

    Mux(SocketChannel channel) {
      this.channel = channel;
    }

    void send(MuxCall call, byte[] body) {
      int id;
      do {
        id = ids.incrementAndGet() & Integer.MAX_VALUE;
      } while (id == 0);
      pending.put(id, call);
      if (dead) {
        if (pending.remove(id) != null) {
          call.fail(closed(new IOException("the lane is closed")));
        }
        return;
      }
      ByteBuffer frame = ByteBuffer.allocate(8 + body.length);
      frame.putInt(4 + body.length).putInt(id).put(body).flip();
      enqueue(frame);
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
        ByteBuffer frame = ByteBuffer.allocate(8);
        frame.putInt(4).putInt(-id).flip();
        enqueue(frame);
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
            int length = in.getInt(in.position());
            if (length < 4) {
              throw new IOException("malformed lane frame of length " + length);
            }
            if (in.remaining() < 4 + length) {
              needed = 4 + length;
              break;
            }
            in.getInt();
            int id = in.getInt();
            byte[] body = new byte[length - 4];
            in.get(body);
            if (id < 0) {
              MuxCall call = pending.get(-id);
              if (call != null) {
                // The server has taken the request in (a watcher now waits there), so its
                // thread's later requests cannot overtake it: they may take other connections.
                call.ended();
                if (call.progress != null && body.length > 0) {
                  progress(call.progress, body);
                }
              }
              continue;
            }
            MuxCall call = pending.remove(id);
            if (call != null) {
              try {
                call.deliver(ByteBuffer.wrap(body));
              } catch (Throwable t) {
                Exceptions.throwIfJvmFatal(t);
                log.warn("a subscriber of {} failed on the lane's thread", address, t);
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
              ? closed((IOException) cause)
              : new WireException(
                  WireException.CONNECTION_CLOSED, "lane to " + address + " failed: " + cause);
      for (Integer id : pending.keySet()) {
        MuxCall call = pending.remove(id);
        if (call != null) {
          call.fail(error);
        }
      }
    }

    @Override
    public String toString() {
      return "shared lane " + path;
    }
  }
}
