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
import io.zproc.internal.map.MapJob;
import io.zproc.internal.map.MapPool;
import io.zproc.internal.map.MapStats;
import io.zproc.internal.process.ChildConnection;
import io.zproc.internal.process.ProcessStats;
import io.zproc.internal.process.Processes;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.server.ServerStats;
import io.zproc.internal.server.StateServer;
import io.zproc.rsocket.BlockedCaller;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link ZProc} context: one connection, the state clients made from it, and maybe a server.
 */
public final class ClientContext implements ChildConnection, Introspection {
  private final ServerConnection connection;
  private final java.time.Duration connectTimeout;
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
    this.connection = new ServerConnection(wire, address, options);
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
    String bind = BindAddress.check(options.bind(), serverOptions.tlsKeyStore() != null);
    StateServer server = StateServer.start(bind, serverOptions);
    String address = BindAddress.reachable(server.address());
    try {
      ConnectionFiles.write(address, Objects.requireNonNull(options.secretKey()));
      WireClient wire = ServerConnection.open(address, options);
      return new ClientContext(wire, server, address, options);
    } catch (RuntimeException e) {
      ConnectionFiles.delete(address);
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
    WireClient wire = ServerConnection.open(address, options);
    return new ClientContext(wire, null, wire.address().toString(), options);
  }

  /** Sends one request; errors are {@link ZProcException}. Never retried (it may be a write). */
  Mono<JsonNode> call(WireRequest request) {
    return connection.call(request);
  }

  /** A call whose reply may be sent by another client's write (see {@link ServerConnection}). */
  Flux<JsonNode> await(WireRequest request) {
    return connection.await(request);
  }

  /** Opens one stream (see {@link ServerConnection}). */
  Flux<JsonNode> stream(WireRequest request) {
    return connection.stream(request);
  }

  /** Drops the current connection, as a network failure would (a seam for tests). */
  void dropConnection() {
    connection.drop();
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
        BlockedCaller.blocking(call(Op.VERSION.request(StateClient.nsArgs(namespace))))
            .block(connectTimeout);
    return version == null ? 0 : version.longValue();
  }

  /** How this context reaches its server: {@code direct}, {@code unix}, {@code tcp}, ... */
  @Override
  public String transport() {
    return connection.transport();
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
    return call(WireRequest.of(Op.PING.wireName())).map(JsonNode::longValue);
  }

  @Override
  public Mono<List<String>> namespaces() {
    return call(WireRequest.of(Op.NAMESPACES.wireName()))
        .map(
            names -> {
              List<String> list = new ArrayList<>(names.size());
              names.forEach(n -> list.add(n.asText()));
              return Collections.unmodifiableList(list);
            });
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
   * demand has grown the pool (a seam for tests).
   */
  int spareTarget() {
    Processes p = processes;
    return p == null ? options.spareProcesses() : p.spareTarget();
  }

  /** What this context's processes did: starts, ends, boot times (for monitoring). */
  @Override
  public ProcessStats processStats() {
    return processStats;
  }

  /** How many of this context's spare JVMs are booted and waiting for a task now. */
  @Override
  public int sparesReady() {
    Processes p = processes;
    return p == null ? 0 : p.sparesReady();
  }

  /** The embedded server this context owns, or null for a context that connected to one. */
  public @Nullable StateServer server() {
    return server;
  }

  @Override
  public @Nullable ServerStats serverStats() {
    StateServer own = server;
    return own == null ? null : own.stats();
  }

  /** The pids of this context's spare JVMs waiting now (a seam for tests). */
  List<Long> sparePids() {
    Processes p = processes;
    return p == null ? List.of() : p.sparePids();
  }

  /**
   * How many {@code processMap} workers of the kind {@code options} asks for this context holds (a
   * seam for tests).
   */
  int processMapWorkers(MapOptions options) {
    MapPool m = mapPool;
    return m == null ? 0 : m.workers(options);
  }

  /** What this context's {@code processMap} calls did; empty figures before the first call. */
  @Override
  public MapStats processMapStats() {
    MapPool m = mapPool;
    return m == null ? NO_MAP_STATS : m.stats();
  }

  private static final MapStats NO_MAP_STATS = new MapStats();

  /** How many {@code processMap} workers this context holds, of every kind. */
  @Override
  public int processMapWorkerCount() {
    MapPool m = mapPool;
    return m == null ? 0 : m.workerCount();
  }

  /** How many of this context's {@code processMap} workers run a batch now. */
  @Override
  public int processMapBusyWorkers() {
    MapPool m = mapPool;
    return m == null ? 0 : m.busyWorkers();
  }

  /**
   * How many {@code processMap} batches the workers of the kind {@code options} asks for hold now,
   * sent and not answered (a seam for tests).
   */
  int processMapBatchesInFlight(MapOptions options) {
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
                  () -> processes,
                  new RemoteMapClient(this, namespace));
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
  public Mono<List<@Nullable Object>> waitAll() {
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
  public ZProcess<Void> callWhenEqual(String key, @Nullable Object value, WatchCallback callback) {
    return process(Watchers.equal(Objects.requireNonNull(key, "key"), value, callback));
  }

  @Override
  public ZProcess<Void> callWhenNotEqual(
      String key, @Nullable Object value, WatchCallback callback) {
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
    connection.closing();
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
    connection.dispose();
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
    return "ZProc["
        + address
        + ", namespace="
        + namespace
        + ", via "
        + connection.transport()
        + "]";
  }
}
