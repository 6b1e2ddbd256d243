package io.zproc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * This process's CPU time (all threads: application, event loops, GC, JIT). CPU time per operation
 * is far less sensitive than throughput to other processes competing for a small machine's cores.
 */
final class Cpu {
  private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

  private Cpu() {}

  /** Process CPU nanoseconds so far, or 0 where the JVM does not tell. */
  static long processNanos() {
    if (OS instanceof com.sun.management.OperatingSystemMXBean) {
      return Math.max(0, ((com.sun.management.OperatingSystemMXBean) OS).getProcessCpuTime());
    }
    return 0;
  }
}
