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

  /** Whether the process is still running (false once {@link #result()} has ended). */
  boolean isAlive();

  /** The exit code, once the process has ended (always present once {@link #result()} ended). */
  OptionalInt exitCode();

  /**
   * The task's return value, as the task's declared type, emitted once the process has ended (as
   * the original's {@code wait()} joins the process): when it emits, {@link #exitCode()} is present
   * and {@link #isAlive()} is false. A child JVM exits as soon as its result has reached this JVM,
   * so this costs no wait. Cached: every subscriber sees the same outcome. Use {@code
   * result().timeout(d)} to wait at most {@code d}; the process keeps running.
   *
   * <p><b>Threading:</b> emits on the thread that saw the process end (a child's output reader, or
   * the thread backend's thread); move work off it with {@code publishOn}.
   *
   * @return emits the value (empty for null); errors with {@link ProcessFailedException} if the
   *     task threw (cause: a {@link RemoteException}), exited with a non-zero status, or the child
   *     died
   */
  Mono<R> result();

  /**
   * The exit code, when the process has ended, like {@link Process#onExit()}: 0 after a result, 1
   * after the task threw, the status of a {@link ProcessExit}, or what the OS reports for a child
   * JVM that died or was stopped (137 or 143 when killed). Never errors. Cached.
   *
   * @return emits the exit code once the process has ended
   */
  Mono<Integer> onExit();

  /**
   * Terminates the process (if still running).
   *
   * @return emits its exit code once it has ended
   */
  Mono<Integer> stop();
}
