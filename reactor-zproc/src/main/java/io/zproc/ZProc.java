package io.zproc;

import io.zproc.internal.client.ClientContext;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A context: a connection to a state server (started by it, or an existing one) and the place the
 * state's clients come from.
 *
 * <p>{@link #start()} starts an embedded server in this JVM and owns it; {@link #connect(String)}
 * joins an existing one and owns only its connection. A context's own {@link #state()} is made with
 * it; {@link #state(String)} makes a new client for any namespace.
 *
 * <p><b>Threading:</b> thread-safe. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (ZProc ctx = ZProc.start()) {
 *   ctx.state().put("apples", 5).block();
 *   System.out.println(ctx.state().get("apples").block()); // 5
 * }
 * }</pre>
 */
public interface ZProc extends AutoCloseable {

  /**
   * Starts an embedded server on {@code tcp://127.0.0.1:<free port>} and connects to it, in
   * namespace {@code "default"}. Blocks until ready. The server gets a random secret key: this
   * context's children get it over their stdin, and {@link #connect(String)} by the same OS user
   * finds it in a connection file only that user can read (deleted by {@link #close()}); other
   * local users are refused.
   */
  static ZProc start() {
    return start(ZProcOptions.defaults());
  }

  /**
   * Starts an embedded server on {@code tcp://127.0.0.1:<free port>} with {@link
   * ZProcOptions#serverOptions()} and connects to it. Blocks until ready.
   *
   * @throws ZProcException if the server cannot start
   */
  static ZProc start(ZProcOptions options) {
    return ClientContext.start(options);
  }

  /**
   * Connects to an existing server with default options. Blocks until connected. For a loopback
   * {@code tcp://} address of a server that {@link #start()} runs for the same OS user, the key is
   * read from that server's connection file.
   *
   * @throws IllegalArgumentException if the address is malformed
   * @throws ZProcException if the connection fails or is refused (code {@code UNAUTHORIZED} for a
   *     wrong or missing secret key)
   */
  static ZProc connect(String address) {
    return connect(address, ZProcOptions.defaults());
  }

  /**
   * Connects to an existing server. Blocks until connected; {@link #close()} leaves the server
   * running.
   *
   * @throws IllegalArgumentException if the address is malformed
   * @throws ZProcException if the connection fails or is refused
   */
  static ZProc connect(String address, ZProcOptions options) {
    return ClientContext.connect(address, options);
  }

  /** The server's address as other machines use it, e.g. {@code tcp://127.0.0.1:40123}. */
  String address();

  /** The namespace of {@link #state()}. */
  String namespace();

  /** This context's own state client, made with the context. */
  State state();

  /**
   * A new state client for a namespace, over this context's connection.
   *
   * @throws IllegalArgumentException if the name is empty
   */
  State state(String namespace);

  /**
   * Asks the server for its process id.
   *
   * @return emits the server's OS pid; errors with {@link ZProcException} if unreachable
   */
  Mono<Long> ping();

  /**
   * Asks the server for the names of its namespaces: every namespace a client has used (any call on
   * its {@link State} makes it) and not {@link State#drop() dropped}, sorted. The library's own
   * namespaces ({@code zproc.internal.*}, where waiting spare JVMs warm up) are left out.
   *
   * @return emits an unmodifiable sorted list; errors with {@link ZProcException} if unreachable
   */
  Mono<List<String>> namespaces();

  /**
   * Starts a task in a child JVM (by default) at once. The task is serialized and sent to the child
   * over its stdin; the child connects to this context's server, runs the task with a {@link State}
   * of this context's namespace, and sends back its return value. The child's output shows up in
   * this JVM's {@code System.out} and {@code System.err}; a child whose parent dies exits by
   * itself. With a pre-started spare JVM (see {@link ZProcOptions#spareProcesses(int)}) this does
   * not wait for a JVM to boot.
   *
   * <p><b>Threading:</b> starting a JVM forks: call it from your own threads.
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   * @throws ZProcException if a child JVM cannot be started
   */
  <R> ZProcess<R> process(ProcessTask<R> task);

  /**
   * As {@link #process(ProcessTask)}, with options: retries, JVM options, environment, backend.
   *
   * @throws IllegalArgumentException if the task is not serializable
   */
  <R> ZProcess<R> process(ProcessTask<R> task, ProcessOptions options);

  /**
   * Starts a task that gets its own {@link ZProc} in the child, connected to the same server (the
   * original's {@code pass_context}); it can start processes of its own.
   *
   * @throws IllegalArgumentException if the task is not serializable
   */
  <R> ZProcess<R> processWithContext(ContextTask<R> task);

  /** As {@link #processWithContext(ContextTask)}, with options. */
  <R> ZProcess<R> processWithContext(ContextTask<R> task, ProcessOptions options);

  /**
   * Starts {@code count} processes running the same task.
   *
   * @throws IllegalArgumentException if count is negative or the task not serializable
   */
  <R> List<ZProcess<R>> processFactory(int count, ProcessTask<R> task);

  /**
   * As {@link #processFactory(int, ProcessTask)}, each process with these options.
   *
   * @throws IllegalArgumentException if count is negative or the task not serializable
   */
  <R> List<ZProcess<R>> processFactory(int count, ProcessTask<R> task, ProcessOptions options);

  /**
   * Maps the items through the task in the context's worker pool, with default {@link MapOptions}
   * (one worker JVM per processor): the original's {@code ctx.process_map(fn, items)}. As {@link
   * #processMap(Publisher, MapTask, MapOptions)}.
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   */
  <T, R> Flux<R> processMap(Iterable<? extends T> items, MapTask<T, R> task);

  /**
   * Maps the items through the task in the context's worker pool. As {@link #processMap(Publisher,
   * MapTask, MapOptions)}; the iterable is read lazily, as results are requested.
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   */
  <T, R> Flux<R> processMap(Iterable<? extends T> items, MapTask<T, R> task, MapOptions options);

  /**
   * Maps the items through the task in the context's worker pool, with default {@link MapOptions}.
   * As {@link #processMap(Publisher, MapTask, MapOptions)}.
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   */
  <T, R> Flux<R> processMap(Publisher<? extends T> items, MapTask<T, R> task);

  /**
   * Maps the items through the task in a pool of worker JVMs, and emits the results in the items'
   * order: the original's {@code ctx.process_map(fn, items, count=...)}, as a {@code Flux}.
   *
   * <p>Each subscription is a new run: it subscribes to the source, cuts its items into batches
   * (sized by themselves to about a millisecond or two of work each, or of a fixed {@link
   * MapOptions#chunkSize(int)}) and hands each batch to whichever worker has room. The workers are
   * child JVMs with this JVM's classpath (threads with {@link Backend#THREAD}), connected to this
   * context's server, owned by the context and reused by later calls; {@link #processes()} does not
   * list them and {@link #close()} stops them. The task travels to each worker once per call over
   * its stdin; items and results travel in binary frames over the workers' stdin and stdout (never
   * over the network), plain values (numbers, strings, booleans, lists and arrays of them) packed,
   * other objects by Java serialization: those must be {@link java.io.Serializable}. Results must
   * not be null. With {@link MapOptions#remote(boolean) MapOptions.remote(true)} the batches go
   * instead, through the server, to the {@link ZProcWorker}s that joined it (other machines), with
   * the same guarantees; they wait for one if none has joined.
   *
   * <pre>{@code
   * int exp = 3;                                              // a common argument
   * List<Double> cubes = ctx.processMap(List.of(1, 2, 3, 4), (Integer n) -> Math.pow(n, exp))
   *     .collectList().block();                               // [1.0, 8.0, 27.0, 64.0]
   * }</pre>
   *
   * <p><b>Threading:</b> results are emitted on the pool's threads (the thread reading a worker's
   * output, or the thread that requests); use {@code publishOn} to move them. Concurrent calls
   * share the pool's workers of their kind: workers take batches from the calls in turn, and a call
   * uses at most {@code count} workers at once.
   *
   * <p><b>Backpressure:</b> the source is asked for at most as many items as the subscriber
   * requested, and for at most {@link MapOptions#prefetch(int)} items beyond the last result
   * emitted; an infinite source works ({@code processMap(Flux.range(0, Integer.MAX_VALUE),
   * task).take(100)} takes 100 items from it).
   *
   * <p><b>Cancellation:</b> cancels the source and stops sending items; workers drop the call's
   * queued batches (an item already running finishes) and are free for other calls.
   *
   * <p><b>Errors:</b> failures are positional: the results of items before the failed one are
   * emitted first. A task that throws on item {@code i} ends the {@code Flux} with a {@link
   * MapTaskException} (a {@link RemoteException}) naming {@code i}, with the remote class, message
   * and stack trace; so does a null or non-serializable result. A non-serializable item ends it
   * with an {@link IllegalArgumentException} naming its index; a source error ends it after the
   * items before it. A worker that dies has its batches re-run elsewhere (results still come once,
   * in order) and is replaced; after {@link MapOptions#maxRedeliveries(int)} deaths of one batch
   * the map ends with a {@link ZProcException}. Closing the context ends running maps with a {@link
   * ZProcException}.
   *
   * @param items the source, subscribed to once per subscription
   * @param task applied to each item in a worker
   * @param options workers, batching, read-ahead and backend
   * @return the results, in the items' order; completes after the last one
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   * @throws IllegalStateException if the context is closed
   */
  <T, R> Flux<R> processMap(Publisher<? extends T> items, MapTask<T, R> task, MapOptions options);

  /**
   * As {@link #processMap(Publisher, MapTask, MapOptions)}, with a task that also gets a {@link
   * State} of this context's namespace, made in the worker.
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   * @throws IllegalStateException if the context is closed
   */
  <T, R> Flux<R> processMap(
      Publisher<? extends T> items, StatefulMapTask<T, R> task, MapOptions options);

  /**
   * As {@link #processMap(Publisher, StatefulMapTask, MapOptions)}, over an iterable (read lazily,
   * as results are requested).
   *
   * @throws IllegalArgumentException if the task is not serializable, naming what it captures
   * @throws IllegalStateException if the context is closed
   */
  default <T, R> Flux<R> processMap(
      Iterable<? extends T> items, StatefulMapTask<T, R> task, MapOptions options) {
    java.util.Objects.requireNonNull(items, "items");
    return processMap(Flux.<T>fromIterable(items), task, options);
  }

  /** The processes this context started, in start order (map workers are not listed). */
  List<ZProcess<?>> processes();

  /**
   * Waits for every process this context started so far.
   *
   * @return emits their results in start order (null for none); errors, once all have ended, with
   *     the first failure if any failed
   */
  Mono<List<@Nullable Object>> waitAll();

  /**
   * Stops every process this context started.
   *
   * @return completes when all have ended
   */
  Mono<Void> stopAll();

  /**
   * Starts a process that calls back on every change (by another client) touching any of the keys
   * (none = any key), with the state right after it, until the callback throws {@link ProcessExit}.
   * Buffered: no change is missed while the callback runs.
   */
  ZProcess<Void> callWhenChange(WatchCallback callback, String... keys);

  /**
   * Starts a process that calls back on every state that passes the test (the current state, then
   * the state after each change by another client), until the callback throws {@link ProcessExit}.
   */
  ZProcess<Void> callWhen(SnapshotPredicate test, WatchCallback callback);

  /**
   * {@link #callWhen} the key is present and equal to the value (which must be serializable; null
   * too: then a present null value is equal).
   */
  ZProcess<Void> callWhenEqual(String key, @Nullable Object value, WatchCallback callback);

  /** {@link #callWhen} the key is present and not equal to the value (which may be null). */
  ZProcess<Void> callWhenNotEqual(String key, @Nullable Object value, WatchCallback callback);

  /** {@link #callWhen} the key is present and null. */
  ZProcess<Void> callWhenNone(String key, WatchCallback callback);

  /** {@link #callWhen} the key is present and not null. */
  ZProcess<Void> callWhenNotNone(String key, WatchCallback callback);

  /** {@link #callWhen} the key is present. */
  ZProcess<Void> callWhenAvailable(String key, WatchCallback callback);

  /**
   * Stops this context's processes, map workers and pre-started JVMs, closes the connection, and
   * stops the server if this context started it (waiting until its address is free). A context that
   * owns its server is also closed by a JVM shutdown hook.
   */
  @Override
  void close();
}
