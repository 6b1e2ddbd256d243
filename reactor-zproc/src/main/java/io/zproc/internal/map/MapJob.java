package io.zproc.internal.map;

import io.zproc.MapTask;
import io.zproc.StatefulMapTask;
import io.zproc.internal.process.ChildPipe;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code processMap} task on its way to the workers, typed by its items and results: a {@link
 * MapTask} or a {@link StatefulMapTask}, serialized once, with the loader of its classes (thread
 * workers resolve items and results with it). Not API.
 *
 * @param <T> the items
 * @param <R> the results
 */
public final class MapJob<T, R> {
  final byte[] bytes;
  final @Nullable ClassLoader loader;
  final Class<?> taskClass;

  private MapJob(Object task) {
    this.bytes = serialize(task);
    this.loader = task.getClass().getClassLoader();
    this.taskClass = task.getClass();
  }

  /**
   * A plain task.
   *
   * @throws IllegalArgumentException if it is not serializable, naming what it captures
   */
  public static <T, R> MapJob<T, R> of(MapTask<T, R> task) {
    return new MapJob<>(Objects.requireNonNull(task, "task"));
  }

  /**
   * A task that also gets the worker's {@code State}.
   *
   * @throws IllegalArgumentException if it is not serializable, naming what it captures
   */
  public static <T, R> MapJob<T, R> of(StatefulMapTask<T, R> task) {
    return new MapJob<>(Objects.requireNonNull(task, "task"));
  }

  private static byte[] serialize(Object task) {
    return ChildPipe.serializeTask(
        task,
        "the processMap task",
        "the workers",
        "a map task must not capture a ZProc or State: use a StatefulMapTask ((state, item) -> ...)"
            + " to get the worker's State");
  }
}
