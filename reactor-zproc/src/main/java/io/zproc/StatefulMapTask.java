package io.zproc;

import java.io.Serializable;

/**
 * A {@link MapTask} that also gets a {@link State} of the context's namespace, made inside the
 * worker (the worker JVM connects to the context's server as process children do). Used with {@link
 * ZProc#processMap(org.reactivestreams.Publisher, StatefulMapTask, MapOptions)}.
 *
 * <p>Each worker makes one {@code State} per {@code processMap} call, when it first runs an item of
 * that call; its buffered cursor starts then. Blocking on it ({@code .block()}) is fine: a worker
 * runs items on its own thread.
 *
 * @param <T> the item type (items must be {@link Serializable})
 * @param <R> the result type (results must be {@link Serializable} and not null)
 */
@FunctionalInterface
public interface StatefulMapTask<T, R> extends Serializable {

  /**
   * Runs in a worker, once per item (more than once if a worker died while running it).
   *
   * @param state the worker's client of the context's namespace
   * @param item one item of the source, a deserialized copy
   * @return the item's result; must be serializable and not null
   * @throws Exception to end the map with a {@link MapTaskException} naming the item's index
   */
  R apply(State state, T item) throws Exception;
}
