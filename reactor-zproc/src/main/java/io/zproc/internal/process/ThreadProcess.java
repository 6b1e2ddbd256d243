package io.zproc.internal.process;

import io.zproc.ContextTask;
import io.zproc.ProcessExit;
import io.zproc.ProcessFailedException;
import io.zproc.ProcessTask;
import io.zproc.RemoteException;
import io.zproc.State;
import io.zproc.ZProc;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A task running on a thread of this JVM. The task still goes through serialization (so code that
 * works here works in a child JVM), gets its own state client or context, and ends as a child
 * would: a result, a {@link RemoteException}, or a {@link ProcessExit} status.
 */
final class ThreadProcess<R> extends BaseProcess<R> {
  private final Thread thread;

  ThreadProcess(
      byte[] task,
      byte kind,
      long cursor,
      LongFunction<State> state,
      Supplier<ZProc> context,
      int maxRetries,
      long retryDelayMillis,
      List<String> retryFor,
      @Nullable ClassLoader loader) {
    TaskFrame frame = new TaskFrame(kind, cursor, maxRetries, retryDelayMillis, retryFor, task);
    this.thread =
        new Thread(
            () -> run(frame, () -> state.apply(cursor), context, loader), "zproc-thread-process");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @SuppressWarnings("unchecked")
  private void run(
      TaskFrame frame,
      Supplier<State> state,
      Supplier<ZProc> context,
      @Nullable ClassLoader loader) {
    int attempt = 0;
    ZProc ctx = null;
    int code;
    Object value = null;
    Throwable failure = null;
    try {
      Object target = ChildPipe.deserialize(frame.bytes, loader);
      for (; ; ) {
        attempt++;
        try {
          Object v;
          if (frame.kind == ChildPipe.CONTEXT_TASK) {
            if (ctx == null) {
              ctx = context.get();
            }
            v = ((ContextTask<?>) ChildPipe.requireTask(target)).run(ctx);
          } else {
            v = ((ProcessTask<?>) ChildPipe.requireTask(target)).run(state.get());
          }
          // a result crosses a process boundary in a child JVM: here it must be serializable too
          value = ChildPipe.deserialize(ChildPipe.serialize(v), loader);
          code = 0;
          break;
        } catch (ProcessExit exit) {
          code = exit.status();
          break;
        } catch (Throwable t) {
          if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
          }
          if (frame.shouldRetry(t, attempt) && !Thread.currentThread().isInterrupted()) {
            System.err.println(
                "[zproc] task failed (attempt "
                    + attempt
                    + "): "
                    + t
                    + "; retrying in "
                    + frame.retryDelayMillis
                    + " ms");
            Thread.sleep(frame.retryDelayMillis);
            continue;
          }
          throw t;
        }
      }
    } catch (Throwable t) {
      code = Thread.currentThread().isInterrupted() ? 143 : 1;
      failure = t;
    } finally {
      if (ctx != null) {
        ctx.close();
      }
    }
    // Ended: the exit first, then the outcome (see BaseProcess).
    recordExit(code);
    if (failure != null) {
      RemoteException remote = RemoteException.of(failure);
      result.tryEmitError(
          new ProcessFailedException(
              code, "thread process failed: " + remote.getMessage(), remote));
    } else if (code == 0) {
      succeed((R) value);
    } else {
      result.tryEmitError(
          new ProcessFailedException(
              code, "thread process ended with ProcessExit(" + code + ")", null));
    }
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public boolean isAlive() {
    return !ended();
  }

  @Override
  public Mono<Integer> stop() {
    return Mono.fromCallable(
            () -> {
              thread.interrupt();
              thread.join(5000);
              return exitCode().orElse(143);
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  @Override
  public String toString() {
    return "ZProcess[thread" + (isAlive() ? ", running" : ", exit=" + exitCode()) + "]";
  }
}
