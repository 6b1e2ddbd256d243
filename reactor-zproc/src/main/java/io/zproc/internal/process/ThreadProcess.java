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
    ChildMain.TaskFrame frame =
        new ChildMain.TaskFrame(kind, cursor, maxRetries, retryDelayMillis, retryFor, task);
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
      ChildMain.TaskFrame frame,
      Supplier<State> state,
      Supplier<ZProc> context,
      @Nullable ClassLoader loader) {
    int attempt = 0;
    ZProc ctx = null;
    try {
      Object target = Wire.deserialize(frame.bytes, loader);
      for (; ; ) {
        attempt++;
        try {
          Object value;
          if (frame.kind == Wire.CONTEXT_TASK) {
            if (ctx == null) {
              ctx = context.get();
            }
            value = ((ContextTask<?>) target).run(ctx);
          } else {
            value = ((ProcessTask<?>) target).run(state.get());
          }
          // a result crosses a process boundary in a child JVM: here it must be serializable too
          Object copy = Wire.deserialize(Wire.serialize(value), loader);
          finish(0);
          succeed((R) copy);
          return;
        } catch (ProcessExit exit) {
          finish(exit.status());
          if (exit.status() == 0) {
            result.tryEmitEmpty();
          } else {
            result.tryEmitError(
                new ProcessFailedException(
                    exit.status(),
                    "thread process ended with ProcessExit(" + exit.status() + ")",
                    null));
          }
          return;
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
      int code = Thread.currentThread().isInterrupted() ? 143 : 1;
      finish(code);
      RemoteException remote = RemoteException.of(t);
      result.tryEmitError(
          new ProcessFailedException(
              code, "thread process failed: " + remote.getMessage(), remote));
    } finally {
      if (ctx != null) {
        ctx.close();
      }
    }
  }

  private void finish(int code) {
    recordExit(code);
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public boolean isAlive() {
    return thread.isAlive();
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
