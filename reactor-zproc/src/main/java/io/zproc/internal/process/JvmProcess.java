package io.zproc.internal.process;

import io.zproc.ProcessFailedException;
import io.zproc.RemoteException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** A task running in a child JVM. */
final class JvmProcess<R> extends BaseProcess<R> implements Child.Listener {
  private final Child child;
  private final @Nullable ClassLoader loader;
  private volatile @Nullable Object outcome;

  JvmProcess(Child child, @Nullable ClassLoader loader) {
    this.child = child;
    this.loader = loader;
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
    if (child.isRecording()) {
      child.ack(); // it lists its classes for the archive: it needs a normal exit
    } else {
      // Its work is done and its output flushed: end it now rather than let it wind down (closing
      // its connections and event loops would cost result() 20-30 ms). The server sees the
      // connection end as it sees any child's exit. The exit code is the task's status.
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
    return child.process.isAlive();
  }

  /**
   * SIGTERM, then SIGKILL after 5 s; emits once the exit is recorded (so {@link #exitCode()} is
   * present and {@link #result()} has ended when it emits).
   */
  @Override
  public Mono<Integer> stop() {
    return Mono.defer(
            () -> {
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
    child.kill();
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
