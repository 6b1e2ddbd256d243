package io.zproc;

import java.util.OptionalInt;
import reactor.core.publisher.Mono;

/**
 * A started process: a child JVM (or a thread, with {@link Backend#THREAD}) running one task.
 *
 * <p><b>Threading:</b> thread-safe.
 *
 * @param <R> the task's result type
 */
public interface ZProcess<R> {

  /** The child's OS process id (this JVM's pid for the thread backend). */
  long pid();

  /** Whether the task is still running. */
  boolean isAlive();

  /** The exit code, once the process has ended. */
  OptionalInt exitCode();

  /**
   * The task's return value, as the task's declared type. Cached: every subscriber sees the same
   * outcome. Use {@code result().timeout(d)} to wait at most {@code d}; the process keeps running.
   *
   * @return emits the value (empty for null); errors with {@link ProcessFailedException} if the
   *     task threw (cause: a {@link RemoteException}), exited with a non-zero status, or the child
   *     died
   */
  Mono<R> result();

  /**
   * Terminates the process (if still running).
   *
   * @return emits its exit code once it has ended
   */
  Mono<Integer> stop();
}
