package io.zproc.internal.process;

import io.zproc.ProcessFailedException;
import io.zproc.RemoteException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A task running in a child JVM. The process ends when its JVM exits, or, for a JVM that its
 * context's spare pool keeps for another task ({@link Reuse}), when the child says it can run
 * another: the process has ended then (its exit code is 0, {@link #isAlive()} false) while the JVM
 * waits in the pool.
 */
final class JvmProcess<R> extends BaseProcess<R> implements Child.Listener {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JvmProcess.class);

  /** Where a child JVM can go after its task instead of ending: the context's spare pool. */
  interface Reuse {
    /** Whether the pool would keep a JVM now (asked when the outcome arrives). */
    boolean wants();

    /**
     * Offers the JVM, which said it can run another task; false if the pool no longer wants it.
     * Called on the child's output thread, before the process's result is emitted.
     */
    boolean offer(Child child);
  }

  private final Child child;
  private final @Nullable ClassLoader loader;
  private final @Nullable Reuse reuse;
  private volatile @Nullable Object outcome;

  /** Whether the outcome is in and the JVM may go to the pool: the child's NEXT frame decides. */
  private volatile boolean awaitingNext;

  /** Whether the JVM went to the pool: this process has ended, the JVM lives on. */
  private volatile boolean released;

  JvmProcess(Child child, @Nullable ClassLoader loader, @Nullable Reuse reuse) {
    this.child = child;
    this.loader = loader;
    this.reuse = reuse;
  }

  /** Starts listening; call after the task was sent. */
  void start() {
    child.attach(this);
  }

  /**
   * The child's outcome: kept, and the child ended at once; emitted when the child has exited
   * ({@link #exited}), so that {@code result()} means the process has ended.
   */
  @Override
  public void frame(String type, byte[] payload) {
    if (ChildPipe.NEXT.equals(type)) {
      boolean reusable = payload.length == 1 && payload[0] == 1;
      if (!reusable && payload.length > 1 && log.isDebugEnabled()) {
        log.debug(
            "child JVM {} ends after its task: {}",
            pid(),
            new String(payload, 1, payload.length - 1, java.nio.charset.StandardCharsets.UTF_8));
      }
      next(reusable);
      return;
    }
    Object o;
    try {
      switch (type) {
        case ChildPipe.RESULT:
          o = new Value(ChildPipe.deserialize(payload, loader));
          break;
        case ChildPipe.ERROR:
          o = ChildPipe.deserialize(payload, loader);
          break;
        case ChildPipe.EXIT:
          o = new Exit(payload[0] & 0xff);
          break;
        default:
          return; // READY and unknown frames need no answer
      }
    } catch (Exception e) {
      o =
          RemoteException.of(
              new IllegalStateException("cannot read the child's " + type + " frame: " + e, e));
    }
    outcome = o;
    Reuse r = reuse;
    if (o instanceof Value && r != null && !child.isRecording() && r.wants()) {
      awaitingNext = true; // the child says next whether it can run another task
    } else if (child.isRecording()) {
      child.ack(); // it lists its classes for the archive: it needs a normal exit
    } else {
      // Its work is done and its output flushed: end it now rather than let it wind down (closing
      // its connections and event loops would cost result() 20-30 ms). The server sees the
      // connection end as it sees any child's exit. The exit code is the task's status.
      child.kill();
    }
  }

  /**
   * The child said whether it can run another task: to the pool if it can and the pool still wants
   * it (the process ends here, with exit code 0), else it ends now.
   */
  private void next(boolean reusable) {
    if (!awaitingNext) {
      return; // its end was decided when the outcome came
    }
    awaitingNext = false;
    Object o = outcome;
    Reuse r = reuse;
    // Released before it is offered: once in the pool, the JVM may run another process's task at
    // once, and this process's stop() must no longer reach it.
    boolean keep = reusable && o instanceof Value;
    released = keep && r != null;
    if (keep && r != null && o instanceof Value && r.offer(child)) {
      recordExit(0);
      @SuppressWarnings("unchecked")
      R value = (R) ((Value) o).value;
      succeed(value);
    } else {
      released = false;
      child.kill();
    }
  }

  /** The exit code the protocol gives an outcome: 0, 1 after an error, a ProcessExit's status. */
  private static int status(Object outcome) {
    if (outcome instanceof Value) {
      return 0;
    }
    return outcome instanceof Exit ? ((Exit) outcome).status : 1;
  }

  @Override
  public void exited(int exitCode) {
    if (released) {
      return; // the JVM ran this process's task and went on to the pool: ended already
    }
    Object o = outcome;
    int code = o == null ? exitCode : status(o);
    recordExit(code);
    if (o instanceof Value) {
      @SuppressWarnings("unchecked")
      R value = (R) ((Value) o).value;
      succeed(value);
    } else if (o instanceof RemoteException) {
      RemoteException remote = (RemoteException) o;
      result.tryEmitError(
          new ProcessFailedException(
              code, "process " + pid() + " failed: " + remote.getMessage(), remote));
    } else if (o instanceof Exit) {
      int status = ((Exit) o).status;
      if (status == 0) {
        result.tryEmitEmpty();
      } else {
        result.tryEmitError(
            new ProcessFailedException(
                status, "process " + pid() + " ended with ProcessExit(" + status + ")", null));
      }
    } else {
      String output = child.lastErrorOutput();
      result.tryEmitError(
          new ProcessFailedException(
              code,
              "process "
                  + pid()
                  + " died without a result (exit code "
                  + code
                  + (code == 137 || code == 143 ? ": killed or stopped" : "")
                  + ")"
                  + (output.isEmpty() ? "; see its output above" : "; it wrote: " + output),
              null));
    }
  }

  @Override
  public long pid() {
    return child.pid();
  }

  @Override
  public boolean isAlive() {
    return !released && child.process.isAlive();
  }

  /**
   * SIGTERM, then SIGKILL after 5 s; emits once the exit is recorded (so {@link #exitCode()} is
   * present and {@link #result()} has ended when it emits).
   */
  @Override
  public Mono<Integer> stop() {
    return Mono.defer(
            () -> {
              if (released) {
                return onExit(); // its JVM runs another task now, or waits for one
              }
              child.process.destroy();
              return onExit()
                  .timeout(
                      Duration.ofSeconds(5),
                      Mono.defer(
                          () -> {
                            child.kill();
                            return onExit();
                          }));
            })
        .timeout(Duration.ofSeconds(15));
  }

  void kill() {
    if (!released) {
      child.kill();
    }
  }

  @Override
  public String toString() {
    return "ZProcess[jvm pid=" + pid() + (isAlive() ? ", running" : ", exit=" + exitCode()) + "]";
  }

  private static final class Value {
    final @Nullable Object value;

    Value(@Nullable Object value) {
      this.value = value;
    }
  }

  private static final class Exit {
    final int status;

    Exit(int status) {
      this.status = status;
    }
  }
}
