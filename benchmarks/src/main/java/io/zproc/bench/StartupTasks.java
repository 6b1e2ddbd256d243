package io.zproc.bench;

import io.zproc.ProcessTask;
import io.zproc.State;
import io.zproc.ZProc;
import java.io.IOException;

/**
 * What {@link StartupBench}'s child JVMs run, kept apart from the bench so that a child loads only
 * this small class: the trivial tasks, and the mains of the fresh JVMs it compares them with. Each
 * reports {@link System#nanoTime()} values, which on Linux are comparable between processes
 * (CLOCK_MONOTONIC), so the parent can split a start-up into its parts.
 */
final class StartupTasks {
  private StartupTasks() {}

  /** A trivial task as a lambda: returns the child's clock when it ran. */
  static final ProcessTask<Long> LAMBDA = state -> System.nanoTime();

  /** The same task as a plain serializable class. */
  static final class ClassTask implements ProcessTask<Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long run(State state) {
      return System.nanoTime();
    }
  }

  /** A bare hello world: prints {@code hello <clock at main>} and exits. */
  public static final class Hello {
    private Hello() {}

    public static void main(String[] args) {
      System.out.println("hello " + System.nanoTime());
    }
  }

  /**
   * A fresh client: {@code ZProc.connect(address)} and one call ({@code size()}), then prints
   * {@code connected <clock at main> <clock after the call> <transport>}, closes and exits.
   */
  public static final class Connect {
    private Connect() {}

    public static void main(String[] args) {
      long main = System.nanoTime();
      try (ZProc ctx = ZProc.connect(args[0])) {
        ctx.state().size().block();
        long done = System.nanoTime();
        System.out.println(
            "connected "
                + main
                + " "
                + done
                + " "
                + ((io.zproc.internal.client.Introspection) ctx).transport());
        System.out.flush();
      }
      System.exit(0);
    }
  }

  /** An idle JVM for its memory: prints {@code ready}, then waits until stdin closes. */
  public static final class Idle {
    private Idle() {}

    public static void main(String[] args) throws IOException {
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait
      }
    }
  }
}
