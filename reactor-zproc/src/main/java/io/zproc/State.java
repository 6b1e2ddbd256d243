package io.zproc;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One namespace of a state server, seen through one client.
 *
 * <p>Every method is one atomic operation on the server, and every returned {@code Mono} is lazy
 * and cold: nothing is sent until it is subscribed, and each subscription sends the operation
 * again. Values are what Jackson maps to JSON (null, booleans, numbers, strings, lists, maps,
 * records, POJOs); the value is converted when the method is called, so later changes to the Java
 * object do not reach the server. Values read back are copies: mutating a list read from the state
 * changes nothing on the server.
 *
 * <p>Every mutation gets the namespace's next version number and one change record whose origin is
 * this client's {@link #id()}.
 *
 * <p><b>Threading:</b> thread-safe; any number of threads may use one {@code State}. Results are
 * delivered on a thread of the transport (one of the connection's I/O threads); a {@code block()}ed
 * call to a server on this host, or any call to a server in this JVM, completes on the subscribing
 * thread. Do not block in callbacks. Nothing here blocks except {@link #asMap()}, which is for the
 * caller's own threads.
 *
 * <p><b>Errors:</b> a value Jackson cannot map throws {@link IllegalArgumentException} at once,
 * naming the key and the Java type. Server-side failures (a key over the length limit, a value over
 * the frame limit, a closed connection) arrive as {@code onError} with a {@link ZProcException}
 * whose {@link ZProcException#code()} names the category.
 *
 * <pre>{@code
 * State state = ctx.state();
 * state.put("cookies", 5).block();
 * int cookies = state.get("cookies", Integer.class).block();
 * }</pre>
 */
public interface State {

  /** The namespace this client reads and writes. */
  String namespace();

  /**
   * This client's id: the {@link StateChange#origin() origin} of the changes it makes.
   *
   * @return a text unique among the clients of one server
   */
  String id();

  /**
   * A client for another namespace of the same server, over the same connection.
   *
   * @param other the namespace name, not empty
   * @throws IllegalArgumentException if {@code other} is empty
   */
  State namespace(String other);

  /**
   * Reads a value.
   *
   * @return emits the value as plain Java; completes empty when the key is absent or its value is
   *     null
   */
  Mono<Object> get(String key);

  /**
   * Reads a value as the given type (records and POJOs too).
   *
   * @return emits the value; completes empty when absent or null; errors with {@link
   *     ZProcException} (code {@code VALUE}) naming the key and type if the value does not map to
   *     it
   */
  <T> Mono<T> get(String key, Class<T> type);

  /**
   * Stores a value ({@code null} too: a null value is kept, and {@link #containsKey} is true).
   *
   * @return completes when stored
   * @throws IllegalArgumentException if Jackson cannot map the value
   */
  Mono<Void> put(String key, @Nullable Object value);

  /**
   * Removes a key.
   *
   * @return emits the removed value; completes empty if the key was absent or its value null
   */
  Mono<Object> remove(String key);

  /**
   * Stores several values as one mutation (one version, one change record).
   *
   * @return completes when stored
   * @throws IllegalArgumentException if Jackson cannot map a value
   */
  Mono<Void> putAll(Map<String, ?> values);

  /**
   * Stores a value unless the key is present (a present null counts as present), as Python's {@code
   * setdefault}.
   *
   * @return emits the existing value if the key was present and not null; completes empty after
   *     storing {@code value}, or if the present value is null
   */
  Mono<Object> putIfAbsent(String key, @Nullable Object value);

  /**
   * Removes the most recently inserted entry (as Python's {@code dict.popitem()}).
   *
   * @return emits the removed entry (its value may be null); completes empty if the namespace is
   *     empty
   */
  Mono<Map.Entry<String, Object>> popItem();

  /**
   * Whether a key is present.
   *
   * @return emits true if present, even with a null value
   */
  Mono<Boolean> containsKey(String key);

  /**
   * The number of keys.
   *
   * @return emits the count
   */
  Mono<Integer> size();

  /**
   * Removes every key, as one mutation.
   *
   * @return completes when done
   */
  Mono<Void> clear();

  /**
   * Drops this namespace from the server: its keys, its change journal and its atomic lock. Unlike
   * {@link #clear()}, which is a change like any other, the namespace is gone: every change stream
   * and {@code when*} wait on it, of any client, ends with {@link ChangesLostException}, and so
   * does an {@code atomic} waiting for its lock. A later use of the name starts a new, empty
   * namespace at version 0; a stream that resumes across the drop is told its changes are lost.
   * Namespaces are made on first use and count against the server's {@code maxNamespaces}: drop
   * those no longer needed.
   *
   * @return emits whether the namespace existed
   */
  Mono<Boolean> drop();

  /**
   * Replaces the whole namespace with these values, as one mutation.
   *
   * @return completes when done
   * @throws IllegalArgumentException if Jackson cannot map a value
   */
  Mono<Void> set(Map<String, ?> values);

  /**
   * A copy of the whole namespace with its version.
   *
   * @return emits the snapshot
   */
  Mono<Snapshot> snapshot();

  /**
   * Adds to a number on the server, atomically; an absent or null key counts as 0. Never conflicts
   * with other writers.
   *
   * @return emits the new value; errors with {@link ZProcException} (code {@code INVALID_ARGUMENT})
   *     if the present value is not an integer
   */
  Mono<Long> increment(String key, long delta);

  /**
   * A blocking, dict-like view: every call is one server round trip. {@code putIfAbsent}, {@code
   * remove(k, v)} and {@code replace(k, old, new)} are atomic on the server, so {@code compute},
   * {@code merge} and the other default methods are atomic too. As in {@link java.util.Map}, a null
   * value counts as absent for {@code putIfAbsent}, {@code compute} and {@code merge}. Iteration
   * walks a snapshot; {@code Iterator.remove()} removes on the server.
   *
   * <p><b>Threading:</b> blocks the calling thread; never call it on a Reactor or Netty thread.
   * Errors are thrown as {@link ZProcException}.
   */
  ConcurrentMap<String, Object> asMap();

  /**
   * Runs a task on a mutable copy of the namespace and commits its changes as one change record,
   * only if nothing the task read (every key it touched; everything, if it iterated or sized the
   * map) changed meanwhile; otherwise it runs again on a fresh copy. Serializable with every other
   * operation. An exception from the task leaves the state untouched and ends the {@code Mono} with
   * it. Contending clients take turns in a FIFO queue on the server (the namespace's atomic lock,
   * which comes with the current state), so they all make progress without conflicting. A client
   * that dies, or keeps the lock more than 50 ms without committing, blocks nobody: the next waiter
   * gets the lock, and the late commit is checked like any other.
   *
   * <p><b>The task may run more than once.</b> It runs on the thread that delivers the state: the
   * calling thread for a {@code block()}ed call to a server on this host or in this JVM, else a
   * transport thread. It must not block.
   *
   * @return emits the task's return value from the run that committed; empty if it returned null
   */
  <R> Mono<R> atomic(AtomicTask<R> task);

  /**
   * Every change to the namespace from subscription on, in version order: deltas (touched keys,
   * values before and after, origin, version, timestamp), including this client's own changes and
   * changes that leave values identical.
   *
   * <p><b>Backpressure:</b> the server sends only as the subscriber's demand allows; a stalled
   * subscriber costs the server one cursor. <b>Errors:</b> a subscriber that falls behind the
   * server's journal gets {@link ChangesLostException}, never a silent gap. <b>Connection
   * drops:</b> the stream reconnects with backoff and resumes after the last change it delivered:
   * nothing lost, nothing twice. <b>Cancellation</b> releases the server-side watch.
   */
  Flux<StateChange> changes();

  /**
   * As {@link #changes()}, starting after a version: replays from the server's journal, then
   * continues live.
   *
   * @param afterVersion the last version already seen (0 = from the first change)
   * @throws IllegalArgumentException if negative
   */
  Flux<StateChange> changes(long afterVersion);

  /**
   * The first change after this client's cursor that touches any of the keys (none = any key) and
   * changes a value, made by another client; completes with the namespace as it was right after
   * that change and moves the cursor there. Buffered: the cursor starts when this {@code State} is
   * made, so changes made while the caller was busy are not missed. See {@link #live()} and {@link
   * #goLive()}.
   *
   * @return emits the namespace right after the matching change; errors with {@link
   *     ChangesLostException} if the cursor fell behind the journal
   */
  Mono<Snapshot> whenChange(String... keys);

  /**
   * Tests the current state, then every later state in order (none skipped, however fast the
   * writers), and completes with the first that passes. States produced by this client's own
   * changes are not tested (the next state from another client includes them).
   *
   * <p>The predicate runs on a transport thread and must be quick; it sees state, not time: a
   * predicate on the clock is only re-tested when the state changes.
   */
  Mono<Snapshot> when(Predicate<? super Snapshot> test);

  /**
   * {@link #when} the key is present with a value equal (as JSON: 5 equals 5L) to {@code value}
   * ({@code null} too: then a present null value is equal).
   *
   * <p>This and the other key watchers ({@code whenNotEqual}, {@code whenNone}, {@code
   * whenNotNone}, {@code whenAvailable}) and {@link #whenChange} are tested on the server: one
   * request answered when a state passes, so the client receives nothing while other keys change,
   * and the wait costs the server one journal cursor. If the connection drops, the wait resumes
   * after the state last tested. <b>Threading:</b> the snapshot is emitted on a transport thread,
   * or on the blocked caller's own thread when it waits in {@code block()}. <b>Errors:</b> {@link
   * ChangesLostException} if the journal overflowed between the test of the current state and the
   * wait (more changes than {@code ServerOptions.journalSize} within one round trip).
   */
  Mono<Snapshot> whenEqual(String key, @Nullable Object value);

  /**
   * {@link #when} the key is present with a value not equal to {@code value} (which may be null).
   */
  Mono<Snapshot> whenNotEqual(String key, @Nullable Object value);

  /** {@link #when} the key is present and its value is null. */
  Mono<Snapshot> whenNone(String key);

  /** {@link #when} the key is present and its value is not null. */
  Mono<Snapshot> whenNotNone(String key);

  /** {@link #when} the key is present. */
  Mono<Snapshot> whenAvailable(String key);

  /**
   * A view of this client (same id, same namespace) whose {@link #whenChange} sees only changes
   * made after each call, never the backlog.
   */
  State live();

  /**
   * Drops the buffered backlog: moves this client's cursor to the namespace's current version.
   *
   * @return completes when the cursor has moved
   */
  Mono<Void> goLive();
}
