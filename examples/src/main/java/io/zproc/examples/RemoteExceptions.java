package io.zproc.examples;

import io.zproc.MapOptions;
import io.zproc.MapTaskException;
import io.zproc.ProcessFailedException;
import io.zproc.RemoteException;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.time.Duration;
import java.util.List;

/**
 * The original's {@code remote_exceptions.py}: an exception thrown in a child process arrives in
 * the parent, with the remote class name, message, stack trace and causes. The remote class need
 * not exist in the parent: a {@link RemoteException} carries its name.
 *
 * <pre>
 * &#64;ctx.spawn(pass_state=False)
 * def my_process():
 *     try:
 *         raise ValueError("hello!")
 *     except Exception as e:
 *         return zproc.RemoteException()
 *
 * try:
 *     my_process.wait()
 * except Exception as e:
 *     print("caught it!", repr(e))
 * </pre>
 *
 * <p>In Java the task just throws: {@link ZProcess#result()} errors with a {@link
 * ProcessFailedException} (the exit code) whose cause is the {@link RemoteException}. A {@code
 * processMap} task that throws ends the map's {@code Flux} with a {@link MapTaskException}, which
 * names the item.
 */
public final class RemoteExceptions {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private RemoteExceptions() {}

  /**
   * Runs the example on an embedded server of its own.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      run(ctx);
    }
  }

  /**
   * Runs the example with the context's processes (it uses no state) and prints the exceptions as
   * they arrive. Blocks the calling thread until the child process and the map have ended (at most
   * a minute each).
   *
   * @param ctx the context whose processes are used; left open
   */
  public static void run(ZProc ctx) {
    ZProcess<Integer> child =
        ctx.process(
            s -> {
              System.out.println("[child] parsing the order of 'forty-two' apples");
              return parseOrder("forty-two");
            });
    try {
      child.result().block(WAIT);
      System.out.println("unexpected: the child returned");
    } catch (ProcessFailedException e) {
      RemoteException remote = (RemoteException) e.getCause();
      System.out.println("caught it! " + e.getClass().getSimpleName() + ": " + e.getMessage());
      System.out.println("exit code: " + e.exitCode());
      System.out.println("remote class: " + remote.remoteClassName());
      System.out.println("remote message: " + remote.remoteMessage());
      System.out.println("cause chain: " + remote.causeChain());
      System.out.println("remote stack trace (top frame): at " + remote.getStackTrace()[0]);
      System.out.println("thrown from the child: " + hasFrame(remote, "parseOrder"));
    }

    // processMap: the first failing item ends the Flux; the items before it were emitted.
    try {
      ctx.processMap(List.of(4, 3, 0, 1), x -> 12 / x, MapOptions.defaults().count(1))
          .doOnNext(r -> System.out.println("12 / x = " + r))
          .blockLast(WAIT);
      System.out.println("unexpected: the map completed");
    } catch (MapTaskException e) {
      System.out.println("the map failed on item " + e.index() + ": " + e.remoteClassName());
      System.out.println("remote message: " + e.remoteMessage());
    }
  }

  /** Throws an exception with a cause, in whichever process calls it. */
  private static int parseOrder(String apples) {
    try {
      return Integer.parseInt(apples);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an order: " + apples, e);
    }
  }

  private static boolean hasFrame(Throwable t, String method) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getMethodName().equals(method)) {
        return true;
      }
    }
    return false;
  }
}
