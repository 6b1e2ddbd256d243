package io.zproc;

import java.io.Serializable;

/**
 * What {@link ZProc#processMap(Iterable, MapTask)} applies to each item, in a worker JVM: a
 * serializable lambda or method reference whose captured values are its common arguments (the
 * original's {@code args}/{@code kwargs}).
 *
 * <p>It travels to the workers by Java serialization, so everything it captures must be
 * serializable; capturing a {@link ZProc} or {@link State} fails at {@code processMap(...)} (use a
 * {@link StatefulMapTask} to get the worker's state). A worker applies the task to one item at a
 * time, on one thread; different items may run in different JVMs at once.
 *
 * @param <T> the item type (items must be {@link Serializable})
 * @param <R> the result type (results must be {@link Serializable} and not null)
 */
@FunctionalInterface
public interface MapTask<T, R> extends Serializable {

  /**
   * Runs in a worker, once per item (more than once if a worker died while running it).
   *
   * @param item one item of the source, a deserialized copy
   * @return the item's result, sent back to the parent; must be serializable and not null
   * @throws Exception to end the map: its {@code Flux} errors with a {@link MapTaskException}
   *     naming the item's index
   */
  R apply(T item) throws Exception;
}
