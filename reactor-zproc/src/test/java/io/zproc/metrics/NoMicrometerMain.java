package io.zproc.metrics;

import io.zproc.Backend;
import io.zproc.ProcessOptions;
import io.zproc.ZProc;
import io.zproc.ZProcess;

/**
 * Run by {@link WithoutMicrometerTest} in a JVM without Micrometer: uses the state and a process,
 * then prints what it saw.
 */
public final class NoMicrometerMain {
  private NoMicrometerMain() {}

  /** Prints {@code micrometer=absent value=1 result=2} when all went well. */
  public static void main(String[] args) throws Exception {
    String micrometer;
    try {
      Class.forName("io.micrometer.core.instrument.MeterRegistry");
      micrometer = "present";
    } catch (ClassNotFoundException e) {
      micrometer = "absent";
    }
    try (ZProc ctx = ZProc.start()) {
      ctx.state().put("k", 1).block();
      ZProcess<Integer> p =
          ctx.process(state -> 2, ProcessOptions.defaults().backend(Backend.THREAD));
      System.out.println(
          "micrometer="
              + micrometer
              + " value="
              + ctx.state().get("k").block()
              + " result="
              + p.result().block());
    }
  }
}
