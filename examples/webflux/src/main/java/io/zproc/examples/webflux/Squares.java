package io.zproc.examples.webflux;

import io.zproc.MapTask;

/**
 * The work {@code POST /squares} fans out: squaring a number, in a {@code processMap} worker.
 *
 * <p>The task lives in its own small class, not in the controller: a worker JVM deserializes the
 * lambda by loading the class that declares it, and this one needs nothing but the JDK and
 * reactor-zproc.
 */
public final class Squares {
  /**
   * Squares a number; throws {@link ArithmeticException} if the square overflows a {@code long}
   * (the map then ends with a {@link io.zproc.MapTaskException} naming the item).
   */
  public static final MapTask<Long, Long> TASK = n -> Math.multiplyExact(n, n);

  private Squares() {}
}
