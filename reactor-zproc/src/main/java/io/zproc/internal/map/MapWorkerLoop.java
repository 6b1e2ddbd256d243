package io.zproc.internal.map;

import io.zproc.MapTask;
import io.zproc.RemoteException;
import io.zproc.State;
import io.zproc.StatefulMapTask;
import io.zproc.internal.process.ChildPipe;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A map worker's work, on one thread: keeps the tasks of the calls it serves, runs batches item by
 * item and sends one outcome per batch. Shared by worker JVMs and thread workers.
 */
final class MapWorkerLoop {
  private final LongFunction<State> newState;
  private final @Nullable ClassLoader loader;
  private final @Nullable AllowList allow;
  private final Set<Long> dropped;
  private final Consumer<MapBuffer> out;
  private final LongSupplier nanoTime;
  private final Map<Long, Registered> tasks = new HashMap<>();
  private final MapBuffer buffer = new MapBuffer();
  private long started;

  /**
   * @param newState a new state client of the context's namespace (one per call, made lazily)
   * @param loader resolves the task's, items' and results' classes
   * @param allow the classes a task and its items may be (null: any; a remote worker has one)
   * @param dropped calls dropped by the parent: updated out of band, checked between items
   * @param out sends an outcome: {@link MapFrames#HEADER} bytes of room, then the payload (the
   *     buffer is reused once it returns)
   * @param nanoTime the clock that times a batch
   */
  MapWorkerLoop(
      LongFunction<State> newState,
      @Nullable ClassLoader loader,
      @Nullable AllowList allow,
      Set<Long> dropped,
      Consumer<MapBuffer> out,
      LongSupplier nanoTime) {
    this.newState = newState;
    this.loader = loader;
    this.allow = allow;
    this.dropped = dropped;
    this.out = out;
    this.nanoTime = nanoTime;
  }

  private static final class Registered {
    final @Nullable Object task;
    final @Nullable Throwable failure;
    final @Nullable ClassLoader loader;
    @Nullable State state;

    Registered(@Nullable Object task, @Nullable Throwable failure, @Nullable ClassLoader loader) {
      this.task = task;
      this.failure = failure;
      this.loader = loader;
    }
  }

  void handle(Object message) {
    if (message instanceof MapFrames.Register r) {
      Object task = null;
      Throwable failure = null;
      ClassLoader taskLoader = r.loader() != null ? r.loader() : loader;
      try {
        task =
            allow == null
                ? ChildPipe.deserialize(r.task(), taskLoader)
                : allow.deserialize(r.task(), taskLoader);
      } catch (Exception | LinkageError e) {
        failure = new IllegalStateException("the worker cannot read the processMap task: " + e, e);
      }
      tasks.put(r.run(), new Registered(task, failure, taskLoader));
    } else if (message instanceof MapFrames.Drop d) {
      tasks.remove(d.run());
      dropped.remove(d.run());
    } else {
      run((MapFrames.Batch) message);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void run(MapFrames.Batch batch) {
    started = nanoTime.getAsLong();
    Registered registered = tasks.get(batch.run());
    if (registered == null || dropped.contains(batch.run())) {
      send(batch.id(), MapFrames.ABANDONED, new Object[0], null);
      return;
    }
    if (registered.failure != null) {
      send(batch.id(), MapFrames.FAILED, new Object[0], registered.failure);
      return;
    }
    Object[] items;
    try {
      items = MapCodec.decode(batch.bytes(), batch.off(), batch.len(), registered.loader, allow);
    } catch (Exception | LinkageError e) {
      send(
          batch.id(),
          MapFrames.FAILED,
          new Object[0],
          new IllegalStateException("the worker cannot read the items: " + e, e));
      return;
    }
    Object task = registered.task;
    Object[] results = new Object[items.length];
    for (int i = 0; i < items.length; i++) {
      if (dropped.contains(batch.run())) {
        send(batch.id(), MapFrames.ABANDONED, new Object[0], null);
        return;
      }
      Object result;
      try {
        if (task instanceof StatefulMapTask) {
          if (registered.state == null) {
            registered.state = newState.apply(batch.run());
          }
          result = ((StatefulMapTask) task).apply(registered.state, items[i]);
        } else {
          result = ((MapTask) ChildPipe.requireTask(task)).apply(items[i]);
        }
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError) {
          throw (VirtualMachineError) t;
        }
        send(batch.id(), MapFrames.FAILED, Arrays.copyOf(results, i), t);
        return;
      }
      if (result == null) {
        send(
            batch.id(),
            MapFrames.FAILED,
            Arrays.copyOf(results, i),
            new NullPointerException(
                "the task returned null for item "
                    + (batch.first() + i)
                    + "; a Flux cannot carry null: return a non-null value"));
        return;
      }
      results[i] = result;
    }
    send(batch.id(), MapFrames.OK, results, null);
  }

  private void send(long batch, byte status, Object[] results, @Nullable Throwable error) {
    byte[] errorBytes = null;
    if (error != null) {
      try {
        errorBytes = ChildPipe.serialize(RemoteException.of(error));
      } catch (IOException e) {
        errorBytes = serializedOrNull(new IllegalStateException(String.valueOf(error)));
      }
    }
    MapFrames.outcome(buffer, batch, status, nanoTime.getAsLong() - started, errorBytes);
    try {
      MapCodec.encode(buffer, results, results.length);
    } catch (IOException e) {
      int bad = Math.min(firstUnserializable(results), results.length - 1);
      Object culprit = bad < 0 ? null : results[bad];
      bad = Math.max(bad, 0);
      send(
          batch,
          MapFrames.FAILED,
          Arrays.copyOf(results, bad),
          new IllegalStateException(
              "the task's result "
                  + (culprit == null ? "null" : "of type " + culprit.getClass().getName())
                  + " cannot be sent back: "
                  + e
                  + "; return a Serializable value",
              e));
      return;
    }
    out.accept(buffer);
  }

  private static byte @Nullable [] serializedOrNull(Throwable t) {
    try {
      return ChildPipe.serialize(RemoteException.of(t));
    } catch (IOException e) {
      return null;
    }
  }

  /** The index of the first value that cannot be serialized (the array's length if none). */
  static int firstUnserializable(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      try {
        ChildPipe.serialize(values[i]);
      } catch (IOException e) {
        return i;
      }
    }
    return values.length;
  }
}
