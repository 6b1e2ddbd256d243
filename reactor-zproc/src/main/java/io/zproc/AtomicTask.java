package io.zproc;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A task run by {@link State#atomic(AtomicTask)} on a mutable copy of a namespace. Its changes to
 * the copy (nested lists and maps included) commit as one change, atomically.
 *
 * <p>The task <b>may run more than once</b>: when something it read changed before it could commit,
 * it runs again on a fresh copy. Keep it free of side effects other than on the map, and quick: it
 * runs on the thread that delivers the state (see {@link State#atomic(AtomicTask)}) and must not
 * block.
 *
 * @param <R> what the task returns
 */
@FunctionalInterface
public interface AtomicTask<R> {

  /**
   * Reads and changes the copy.
   *
   * @param state a mutable copy of the namespace; every key it touches is a dependency
   * @return the value {@link State#atomic} emits (null completes it empty)
   * @throws Exception to abort: nothing is committed and the error reaches the caller
   */
  @Nullable R apply(Map<String, Object> state) throws Exception;
}
