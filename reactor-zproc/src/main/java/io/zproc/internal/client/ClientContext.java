package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.ContextTask;
import io.zproc.MapOptions;
import io.zproc.MapTask;
import io.zproc.ProcessOptions;
import io.zproc.ProcessTask;
import io.zproc.ServerOptions;
import io.zproc.SnapshotPredicate;
import io.zproc.State;
import io.zproc.StatefulMapTask;
import io.zproc.WatchCallback;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcess;
import io.zproc.internal.Ops;
import io.zproc.internal.map.MapJob;
import io.zproc.internal.map.MapPool;
import io.zproc.internal.map.MapStats;
import io.zproc.internal.process.ChildConnection;
import io.zproc.internal.process.ProcessStats;
import io.zproc.internal.process.Processes;
import io.zproc.internal.server.StateServer;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireClientOptions;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.internal.Blocking;
import io.zproc.rsocket.internal.FluxMapError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The {@link ZProc} context: one connection, the state clients made from it, and maybe a server.
 */
public final class ClientContext implements ChildConnection {
  private volatile WireClient wire;
  private final WireClientOptions wireOptions;
  private final java.time.Duration connectTimeout;
  private @Nullable Mono<WireClient> reconnecting;
  private final @Nullable StateServer server;
  private final String address;
  private final String namespace;
  private final String idPrefix;
  private final AtomicLong stateIds = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ZProcOptions options;
  private volatile @Nullable Processes processes;
  private volatile @Nullable MapPool mapPool;
  private final ProcessStats processStats = new ProcessStats();
  private volatile StateClient state;
  private final @Nullable Thread shutdownHook;

  private ClientContext(
      WireClient wire, @Nullable StateServer server, String address, ZProcOptions options) {
    this.wire = wire;
    this.wireOptions = wireOptions(options);
    this.options = options;
    this.connectTimeout = options.connectTimeout();
    this.server = server;
    this.address = address;
    this.namespace = options.namespace();
    this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    this.state = new StateClient(this, namespace);
    this.shutdownHook = server == null ? null : new Thread(this::close, "zproc-context-shutdown");
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** Starts an embedded server on a free loopback port and connects to it directly. */
  public static ClientContext start(ZProcOptions options) {
    Objects.requireNonNull(options, "options");
    ServerOptions serverOptions = options.serverOptions();
    if (options.secretKey() == null) {
      // Secure by default: a random key, which children get over their stdin and the same OS
      // user's ZProc.connect(address) finds in the connection file.
      String key =
          serverOptions.secretKey() != null ? serverOptions.secretKey() : ConnectionFiles.newKey();
      options = options.secretKey(key);
    }
    serverOptions = serverOptions.secretKey(options.secretKey());
    StateServer server = StateServer.start("tcp://127.0.0.1:0", serverOptions);
    try {
      ConnectionFiles.write(server.address(), Objects.requireNonNull(options.secretKey()));
      WireClient wire = open(server.address(), options);
      return new ClientContext(wire, server, server.address(), options);
    } catch (RuntimeException e) {
      ConnectionFiles.delete(server.address());
      server.close();
      throw e;
    }
  }

  /** Connects to an existing server. */
  public static ClientContext connect(String address, ZProcOptions options) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(options, "options");
    if (options.secretKey() == null) {
      // a server that ZProc.start() runs for this OS user left its key where only it can read
      String key = ConnectionFiles.read(address);
      if (key != null) {
        options = options.secretKey(key);
      }
    }
    WireClient wire = open(address, options);
    return new ClientContext(wire, null, wire.address().toString(), options);
  }

  private static WireClientOptions wireOptions(ZProcOptions options) {
    WireClientOptions wireOptions =
        WireClientOptions.defaults()
            .withSecretKey(options.secretKey())
            .withConnectTimeout(options.connectTimeout())
            .withDirect(options.directPath())
            .withLocalSocket(options.localSocket());
    if (options.tls()) {
      wireOptions = wireOptions.withTls(options.tlsTrust());
    }
    return wireOptions;
  }

  private static WireClient open(String address, ZProcOptions options) {
    try {
      return Objects.requireNonNull(
          WireClient.connect(address, wireOptions(options))
              .block(options.connectTimeout().plusSeconds(5)));
    } catch (WireException e) {
      throw Errors.toZProc(e);
    }
  }

  /** Sends one request; errors are {@link ZProcException}. Never retried (it may be a write). */
  Mono<JsonNode> call(WireRequest request) {
    WireClient w = wire;
    Mono<JsonNode> reply =
        w.isDisposed() ? wire().flatMap(c -> c.request(request)) : w.request(request);
    // not onErrorMap: its arbiter can lose a cancel racing with the subscription (an atomic's
    // turn would then stay queued on the server)
    return FluxMapError.mapError(
        reply, e -> e instanceof WireException ? Errors.toZProc((WireException) e) : e);
  }

  /**
   * A call whose reply may be sent by another client's write (a {@code when*} watcher): as {@link
   * #call}, but a reply from a server in this JVM is moved off the writer's thread, so a watcher
   * reacting with a write never runs inside another client's call. No operator here arbitrates
   * subscriptions (see {@link OpenStreams}).
   */
  Flux<JsonNode> await(WireRequest request) {
    Flux<JsonNode> reply =
        Flux.defer(
            () -> {
              WireClient w = wire;
              return w.isDisposed()
                  ? wire().flatMap(c -> offWriter(c, c.request(request)))
                  : offWriter(w, w.request(request));
            });
    return FluxMapError.mapError(
        reply, e -> e instanceof WireException ? Errors.toZProc((WireException) e) : e);
  }

  /**
   * On the direct path, moves the reply off the writer's thread, unless a thread is blocked waiting
   * for it ({@code block()}): waking it from the writer's thread saves a thread hop, and the
   * reaction then runs on the caller's own thread anyway. The wait ends with {@code
   * CONNECTION_CLOSED} if the server closes first.
   */
  private static Mono<JsonNode> offWriter(WireClient c, Mono<JsonNode> reply) {
    if (!"direct".equals(c.transport())) {
      return reply;
    }
    // A wait on an in-JVM server ends when that server closes, as it would with the socket: the
    // caller then resumes on the next server (or learns that it restarted) instead of hanging.
    Mono<JsonNode> bounded = DirectWaits.of(c).bound(reply);
    Mono<JsonNode> hopped = bounded.publishOn(DirectHop.SCHEDULER);
    return new MonoOperator<JsonNode, JsonNode>(bounded) {
      @Override
      public void subscribe(CoreSubscriber<? super JsonNode> actual) {
        (Blocking.downstream(actual) ? source : hopped).subscribe(actual);
      }
    };
  }

  /**
   * Opens one stream. Elements from a server in this JVM are moved off the writer's thread, so a
   * watcher reacting with a write never runs inside another client's call. No operator here
   * arbitrates subscriptions, so a cancel always reaches the server (see {@link OpenStreams}).
   */
  Flux<JsonNode> stream(WireRequest request) {
    return wire()
        .flatMapMany(
            c -> {
              Flux<JsonNode> elements = c.stream(request);
              return "direct".equals(c.transport())
                  ? elements.publishOn(Schedulers.parallel(), 8)
                  : elements;
            })
        // not onErrorMap: its arbiter can lose a cancel racing with the subscription
        .transform(
            f ->
                FluxMapError.mapError(
                    f, e -> e instanceof WireException ? Errors.toZProc((WireException) e) : e));
  }

  /** The live connection, reconnecting (with backoff, bounded by the connect timeout) if lost. */
  Mono<WireClient> wire() {
    WireClient w = wire;
    if (!w.isDisposed()) {
      return Mono.just(w);
    }
    if (closed.get()) {
      return Mono.error(
          new WireException(WireException.CONNECTION_CLOSED, "this context is closed"));
    }
    synchronized (this) {
      if (wire != w) {
        return Mono.just(wire);
      }
      Mono<WireClient> pending = reconnecting;
      if (pending == null) {
        pending =
            Mono.defer(() -> WireClient.connect(address, wireOptions))
                .retryWhen(
                    Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(500))
                        .filter(
                            e ->
                                e instanceof WireException
                                    && WireException.CONNECTION_CLOSED.equals(
                                        ((WireException) e).code())))
                .timeout(connectTimeout)
                .onErrorMap(
                    TimeoutException.class,
                    e ->
                        new WireException(
                            WireException.CONNECTION_CLOSED,
                            "lost the connection to "
                                + address
                                + " and could not reconnect within "
                                + connectTimeout.toMillis()
                                + " ms"))
                .doOnNext(this::replaced)
                .doFinally(signal -> clearReconnecting())
                .cache();
        reconnecting = pending;
      }
      return pending;
    }
  }

  private synchronized void replaced(WireClient fresh) {
    if (closed.get()) {
      fresh.dispose();
    }
    wire = fresh;
  }

  private synchronized void clearReconnecting() {
    reconnecting = null;
  }

  /** Drops the current connection, as a network failure would (for tests of reconnection). */
  public void dropConnection() {
    wire.dispose();
  }

  /** A new state client id: unique among this server's clients (with high probability). */
  String newStateId() {
    return idPrefix + "-" + stateIds.incrementAndGet();
  }

  @Override
  public void renewState(long cursor) {
    state = new StateClient(this, namespace, cursor);
  }

  /** The namespace's current version (one blocking round trip). */
  long versionNow() {
    JsonNode version =
        call(new WireRequest(Ops.VERSION_OF, StateClient.nsArgs(namespace))).block(connectTimeout);
    return version == null ? 0 : version.longValue();
  }

  /** How this context reaches its server: {@code direct}, {@code unix}, {@code tcp}, ... */
  public String transport() {
    return wire.transport();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public State state(String ns) {
    return new StateClient(this, ns);
  }

  @Override
  public Mono<Long> ping() {
    return call(WireRequest.of(Ops.PING)).map(JsonNode::longValue);
  }

  private Processes processManager() {
    Processes p = processes;
    if (p == null) {
      synchronized (this) {
        p = processes;
        if (p == null) {
          p =
              new Processes(
                  Processes.spec(address, namespace, options),
                  options.spareProcesses(),
                  this::versionNow,
                  cursor -> new StateClient(this, namespace, cursor),
                  () -> connect(address, options),
                  processStats);
          processes = p;
        }
      }
    }
    return p;
  }

  @Override
  public <R> ZProcess<R> process(ProcessTask<R> task) {
    return process(task, ProcessOptions.defaults());
  }

  @Override
  public <R> ZProcess<R> process(ProcessTask<R> task, ProcessOptions options) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    return processManager().start(false, task, options);
  }

  @Override
  public <R> ZProcess<R> processWithContext(ContextTask<R> task) {
    return processWithContext(task, ProcessOptions.defaults());
  }

  @Override
  public <R> ZProcess<R> processWithContext(ContextTask<R> task, ProcessOptions options) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    return processManager().start(true, task, options);
  }

  @Override
  public <R> List<ZProcess<R>> processFactory(int count, ProcessTask<R> task) {
    return processFactory(count, task, ProcessOptions.defaults());
  }

  @Override
  public <R> List<ZProcess<R>> processFactory(
      int count, ProcessTask<R> task, ProcessOptions options) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(options, "options");
    List<ZProcess<R>> started = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      started.add(process(task, options));
    }
    return started;
  }

  /**
   * How many spare JVMs this context keeps now: {@code ZProcOptions.spareProcesses}, or more while
   * demand has grown the pool (for tests and monitoring).
   */
  public int spareTarget() {
    Processes p = processes;
    return p == null ? options.spareProcesses() : p.spareTarget();
  }

  /** What this context's processes did: starts, ends, boot times (for monitoring). */
  public ProcessStats processStats() {
    return processStats;
  }

  /** How many of this context's spare JVMs are booted and waiting for a task now. */
  public int sparesReady() {
    Processes p = processes;
    return p == null ? 0 : p.sparesReady();
  }

  /** The embedded server this context owns, or null for a context that connected to one. */
  public @Nullable StateServer server() {
    return server;
  }

  /** The pids of this context's spare JVMs waiting now (for tests and monitoring). */
  public List<Long> sparePids() {
    Processes p = processes;
    return p == null ? List.of() : p.sparePids();
  }

  /**
   * How many {@code processMap} workers of the kind {@code options} asks for this context holds
   * (for tests and monitoring).
   */
  public int processMapWorkers(MapOptions options) {
    MapPool m = mapPool;
    return m == null ? 0 : m.workers(options);
  }

  /** What this context's {@code processMap} calls did; empty figures before the first call. */
  public MapStats processMapStats() {
    MapPool m = mapPool;
    return m == null ? NO_MAP_STATS : m.stats();
  }

  private static final MapStats NO_MAP_STATS = new MapStats();

  /** How many {@code processMap} workers this context holds, of every kind. */
  public int processMapWorkerCount() {
    MapPool m = mapPool;
    return m == null ? 0 : m.workerCount();
  }

  /** How many of this context's {@code processMap} workers run a batch now. */
  public int processMapBusyWorkers() {
    MapPool m = mapPool;
    return m == null ? 0 : m.busyWorkers();
  }

  /**
   * How many {@code processMap} batches the workers of the kind {@code options} asks for hold now,
   * sent and not answered (for tests and monitoring).
   */
  public int processMapBatchesInFlight(MapOptions options) {
    MapPool m = mapPool;
    return m == null ? 0 : m.batchesInFlight(options);
  }

  private MapPool mapPool() {
    MapPool m = mapPool;
    if (m == null) {
      synchronized (this) {
        m = mapPool;
        if (m == null) {
          if (closed.get()) {
            throw new IllegalStateException("this context is closed: processMap cannot run");
          }
          m =
              new MapPool(
                  Processes.spec(address, namespace, options),
                  () -> new StateClient(this, namespace),
                  () -> processes);
          mapPool = m;
        }
      }
    }
    return m;
  }

  @Override
  public <T, R> Flux<R> processMap(Iterable<? extends T> items, MapTask<T, R> task) {
    return processMap(items, task, MapOptions.defaults());
  }

  @Override
  public <T, R> Flux<R> processMap(
      Iterable<? extends T> items, MapTask<T, R> task, MapOptions options) {
    Objects.requireNonNull(items, "items");
    return processMap(Flux.<T>fromIterable(items), task, options);
  }

  @Override
  public <T, R> Flux<R> processMap(Publisher<? extends T> items, MapTask<T, R> task) {
    return processMap(items, task, MapOptions.defaults());
  }

  @Override
  public <T, R> Flux<R> processMap(
      Publisher<? extends T> items, MapTask<T, R> task, MapOptions options) {
    return mapPool().map(items, MapJob.of(task), options);
  }

  @Override
  public <T, R> Flux<R> processMap(
      Publisher<? extends T> items, StatefulMapTask<T, R> task, MapOptions options) {
    return mapPool().map(items, MapJob.of(task), options);
  }

  @Override
  public List<ZProcess<?>> processes() {
    Processes p = processes;
    return p == null ? List.of() : p.list();
  }

  @Override
  public Mono<List<Object>> waitAll() {
    Processes p = processes;
    return p == null ? Mono.just(List.of()) : p.waitAll();
  }

  @Override
  public Mono<Void> stopAll() {
    Processes p = processes;
    return p == null ? Mono.empty() : p.stopAll();
  }

  @Override
  public ZProcess<Void> callWhenChange(WatchCallback callback, String... keys) {
    return process(Watchers.onChange(Objects.requireNonNull(callback, "callback"), keys));
  }

  @Override
  public ZProcess<Void> callWhen(SnapshotPredicate test, WatchCallback callback) {
    return process(Watchers.when(Objects.requireNonNull(test, "test"), callback));
  }

  @Override
  public ZProcess<Void> callWhenEqual(String key, Object value, WatchCallback callback) {
    return process(Watchers.equal(Objects.requireNonNull(key, "key"), value, callback));
  }

  @Override
  public ZProcess<Void> callWhenNotEqual(String key, Object value, WatchCallback callback) {
    return process(Watchers.notEqual(Objects.requireNonNull(key, "key"), value, callback));
  }

  @Override
  public ZProcess<Void> callWhenNone(String key, WatchCallback callback) {
    return process(Watchers.none(Objects.requireNonNull(key, "key"), callback));
  }

  @Override
  public ZProcess<Void> callWhenNotNone(String key, WatchCallback callback) {
    return process(Watchers.notNone(Objects.requireNonNull(key, "key"), callback));
  }

  @Override
  public ZProcess<Void> callWhenAvailable(String key, WatchCallback callback) {
    return process(Watchers.available(Objects.requireNonNull(key, "key"), callback));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    MapPool m;
    synchronized (this) {
      m = mapPool;
    }
    if (m != null) {
      m.close();
    }
    Processes p = processes;
    if (p != null) {
      p.close();
    }
    wire.dispose();
    if (server != null) {
      ConnectionFiles.delete(address);
      server.close();
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running or has run
      }
    }
  }

  @Override
  public String toString() {
    return "ZProc[" + address + ", namespace=" + namespace + ", via " + wire.transport() + "]";
  }
}
