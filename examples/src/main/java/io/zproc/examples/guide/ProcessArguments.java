package io.zproc.examples.guide;

import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.io.Serializable;
import java.time.Duration;

/**
 * The guide's "Providing arguments to a Process". Java has no {@code *args}/{@code **kwargs}: a
 * task's arguments are the values it captures. A serializable record gives them names, as kwargs
 * did.
 *
 * <pre>
 * def my_process(state, num, exp):
 *     print(num, exp)  # 2, 4
 *
 * ctx.process(my_process, args=[2], kwargs={'exp': 4})
 * </pre>
 */
public final class ProcessArguments {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private ProcessArguments() {}

  /** Named arguments: a record travels to the child like any captured value. */
  record Power(int num, int exp) implements Serializable {}

  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      // args=[2], kwargs={'exp': 4}: capture the values
      int num = 2;
      int exp = 4;
      ZProcess<Double> p =
          ctx.process(
              state -> {
                System.out.println("[child] num, exp = " + num + ", " + exp); // 2, 4
                return Math.pow(num, exp);
              });
      System.out.println("the process returned num^exp = " + p.result().block(WAIT));

      // kwargs with names: a serializable record
      Power power = new Power(3, 2);
      ZProcess<Integer> q =
          ctx.process(
              state -> {
                System.out.println("[child] got " + power);
                return (int) Math.pow(power.num(), power.exp());
              });
      System.out.println("with a record argument it returned " + q.result().block(WAIT));
    }
  }
}
