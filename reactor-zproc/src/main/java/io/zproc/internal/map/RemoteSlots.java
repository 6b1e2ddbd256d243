package io.zproc.internal.map;

import io.zproc.RemoteException;
import io.zproc.State;
import io.zproc.internal.process.ChildPipe;
import io.zproc.internal.protocol.Fields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote worker's slots: one thread per slot, each running its own {@link MapWorkerLoop} (the
 * same loop as a worker JVM's), fed with the batches the server hands this worker. It keeps the
 * tasks' code as the server mirrors it ({@link Fields#WORKER_TASKS}, least recently used out
 * first), deserializes tasks and items only through its {@link AllowList}, and posts each outcome
 * with the broker's job id.
 *
 * <p><b>Threading:</b> {@link #batch}, {@link #drop} and {@link #reset} are called in the order of
 * the worker's stream, from one thread at a time, and never block (they queue to the slot threads);
 * outcomes are posted on the slot threads.
 */
public final class RemoteSlots implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteSlots.class);

  /** Posts a batch's outcome: the broker's job id and the {@link MapFrames#outcome} payload. */
  public interface Done {
    /** Posts one outcome (on a slot thread; must not throw). */
    void done(long job, byte[] outcome);
  }

  private final Slot[] slots;
  private final ConcurrentLinkedQueue<Slot> idle = new ConcurrentLinkedQueue<>();
  private final Map<Long, String> namespaces = new ConcurrentHashMap<>();
  private final List<Long> evicted = new ArrayList<>();
  private final Done done;
  private final Runnable fatal;
  private volatile boolean closed;

  /** Which joining the work belongs to: outcomes of work from before a re-join are not posted. */
  private volatile int generation;

  private final LinkedHashMap<Long, byte[]> codes =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          if (size() > Fields.WORKER_TASKS) {
            evicted.add(eldest.getKey());
            return true;
          }
          return false;
        }
      };

  /**
   * Starts the slot threads.
   *
   * @param count how many batches run at once
   * @param allow the classes tasks and items may be
   * @param states a new state client of a namespace (a stateful task's {@code State})
   * @param done posts outcomes
   * @param fatal called if a slot thread dies of a VM error (the worker should leave)
   */
  public RemoteSlots(
      int count, AllowList allow, Function<String, State> states, Done done, Runnable fatal) {
    this.done = done;
    this.fatal = fatal;
    this.slots = new Slot[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new Slot(i, allow, states);
      idle.add(slots[i]);
    }
    for (Slot s : slots) {
      s.thread.start();
    }
  }

  /**
   * A batch to run.
   *
   * @param job the broker's id of it
   * @param task the task's id at the server
   * @param code the task's code, if the server sent it (the first batch of it here)
   * @param namespace the calling context's namespace (with the code)
   * @param batch the calling context's id of the batch
   * @param first the index of its first item
   * @param items its items ({@link MapCodec})
   */
  public void batch(
      long job,
      long task,
      byte @Nullable [] code,
      @Nullable String namespace,
      long batch,
      long first,
      byte[] items) {
    byte[] known;
    if (code != null) {
      codes.put(task, code);
      namespaces.put(task, namespace == null ? "default" : namespace);
      known = code;
      for (Long gone : evicted) {
        forget(gone, false);
      }
      evicted.clear();
    } else {
      known = codes.get(task);
    }
    Slot slot = idle.poll();
    if (slot == null) {
      log.warn("the server sent batch {} to a worker with no free slot; it waits for one", job);
      slot = slots[(int) (job % slots.length)];
    }
    slot.offer(new Work(generation, job, task, known, batch, first, items));
  }

  /** A call ended at its context: its running batches stop between items; its task goes. */
  public void drop(long task) {
    codes.remove(task);
    namespaces.remove(task);
    forget(task, true);
  }

  /** The worker joined anew: the server knows none of the tasks kept so far. */
  public void reset() {
    generation++;
    for (Long task : new ArrayList<>(codes.keySet())) {
      codes.remove(task);
      forget(task, false);
    }
  }

  private void forget(long task, boolean stop) {
    for (Slot s : slots) {
      if (stop) {
        s.dropped.add(task);
      }
      s.offer(new MapFrames.Drop(task));
    }
  }

  /** Stops the slot threads (a batch running ends at its next item, unanswered). */
  @Override
  public void close() {
    closed = true;
    for (Slot s : slots) {
      LockSupport.unpark(s.thread);
    }
  }

  /** The most bytes of an outcome posted in one request (the frame limit is 16 MiB). */
  static final int MAX_OUTCOME_BYTES = 12 << 20;

  /** A failed outcome in place of one too big to post. */
  private static byte[] tooBig(Work w, int bytes) {
    MapBuffer buffer = new MapBuffer();
    byte[] error;
    try {
      error =
          ChildPipe.serialize(
              RemoteException.of(
                  new IllegalStateException(
                      "the results of the batch from item "
                          + w.first()
                          + " encode to "
                          + bytes
                          + " bytes, more than the "
                          + MAX_OUTCOME_BYTES
                          + " a remote worker may send back at once; set a smaller"
                          + " MapOptions.chunkSize, or return smaller results")));
      MapFrames.outcome(buffer, w.batch(), MapFrames.FAILED, 0, error);
      MapCodec.encode(buffer, new Object[0], 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an error outcome", e);
    }
    return Arrays.copyOfRange(buffer.array(), MapFrames.HEADER, buffer.size());
  }

  private record Work(
      int generation,
      long job,
      long task,
      byte @Nullable [] code,
      long batch,
      long first,
      byte[] items) {}

  private final class Slot implements Runnable {
    final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    final Set<Long> dropped = ConcurrentHashMap.newKeySet();
    final Set<Long> registered = new HashSet<>();
    final Thread thread;
    final MapWorkerLoop loop;
    byte @Nullable [] outcome;

    Slot(int n, AllowList allow, Function<String, State> states) {
      this.thread = new Thread(this, "zproc-worker-slot-" + n);
      this.thread.setDaemon(true);
      this.loop =
          new MapWorkerLoop(
              run -> states.apply(namespaces.getOrDefault(run, "default")),
              RemoteSlots.class.getClassLoader(),
              allow,
              dropped,
              frame -> outcome = Arrays.copyOfRange(frame.array(), MapFrames.HEADER, frame.size()),
              System::nanoTime);
    }

    void offer(Object message) {
      inbox.add(message);
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      try {
        while (!closed) {
          Object message = inbox.poll();
          if (message == null) {
            LockSupport.park(this);
          } else if (message instanceof Work w) {
            work(w);
          } else {
            registered.remove(((MapFrames.Drop) message).run());
            loop.handle(message);
          }
        }
      } catch (VirtualMachineError e) {
        log.error("a worker slot died: {}; the worker leaves", e.toString());
        fatal.run();
      }
    }

    private void work(Work w) {
      if (!registered.contains(w.task()) && w.code() != null) {
        registered.add(w.task());
        loop.handle(new MapFrames.Register(w.task(), w.code(), null));
      }
      outcome = null;
      loop.handle(
          new MapFrames.Batch(w.task(), w.batch(), w.first(), w.items(), 0, w.items().length));
      byte[] out = outcome;
      outcome = null;
      if (out != null && out.length > MAX_OUTCOME_BYTES) {
        out = tooBig(w, out.length);
      }
      idle.add(this);
      if (out != null && w.generation() == generation) {
        done.done(w.job(), out);
      }
    }
  }
}
