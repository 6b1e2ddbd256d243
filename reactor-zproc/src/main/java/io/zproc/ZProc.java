package io.zproc;

import io.zproc.internal.client.Context;
import java.util.List;
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
   * namespace {@code "default"}. Blocks until ready.
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
    return Context.start(options);
  }

  /**
   * Connects to an existing server with default options. Blocks until connected.
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
    return Context.connect(address, options);
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

  /** The processes this context started, in start order. */
  List<ZProcess<?>> processes();

  /**
   * Waits for every process this context started so far.
   *
   * @return emits their results in start order (null for none); errors, once all have ended, with
   *     the first failure if any failed
   */
  Mono<List<Object>> waitAll();

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

  /** {@link #callWhen} the key is present and equal to the value (which must be serializable). */
  ZProcess<Void> callWhenEqual(String key, Object value, WatchCallback callback);

  /** {@link #callWhen} the key is present and not equal to the value. */
  ZProcess<Void> callWhenNotEqual(String key, Object value, WatchCallback callback);

  /** {@link #callWhen} the key is present and null. */
  ZProcess<Void> callWhenNone(String key, WatchCallback callback);

  /** {@link #callWhen} the key is present and not null. */
  ZProcess<Void> callWhenNotNone(String key, WatchCallback callback);

  /** {@link #callWhen} the key is present. */
  ZProcess<Void> callWhenAvailable(String key, WatchCallback callback);

  /**
   * Stops this context's processes and pre-started JVMs, closes the connection, and stops the
   * server if this context started it (waiting until its address is free). A context that owns its
   * server is also closed by a JVM shutdown hook.
   */
  @Override
  void close();
}
