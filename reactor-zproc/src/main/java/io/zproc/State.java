package io.zproc;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;
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
 * delivered on a transport thread, or, when the server is in this JVM, on the subscribing thread.
 * Nothing here blocks except {@link #asMap()}, which is for the caller's own threads.
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
  Mono<Void> put(String key, Object value);

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
  Mono<Object> putIfAbsent(String key, Object value);

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
}
