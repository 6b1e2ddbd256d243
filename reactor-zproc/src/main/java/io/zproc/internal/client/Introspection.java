package io.zproc.internal.client;

import io.zproc.ZProc;
import io.zproc.internal.map.MapStats;
import io.zproc.internal.process.ProcessStats;
import io.zproc.internal.server.ServerStats;
import org.jspecify.annotations.Nullable;

/**
 * What monitoring ({@code io.zproc.metrics}) and tools (the benchmarks) read of a {@link ZProc}
 * context, and nothing else of it: every context that {@code ZProc.start()} and {@code
 * ZProc.connect()} make is one. Not API: the public {@code io.zproc} interfaces do not change for
 * it.
 *
 * <p><b>Threading:</b> every method is thread-safe and returns at once.
 */
public interface Introspection {

  /** How this context reaches its server: {@code direct}, {@code unix}, {@code tcp}, ... */
  String transport();

  /** What this context's processes did: starts, ends, boot times. */
  ProcessStats processStats();

  /** How many of this context's spare JVMs are booted and waiting for a task now. */
  int sparesReady();

  /** What this context's {@code processMap} calls did; empty figures before the first call. */
  MapStats processMapStats();

  /** How many {@code processMap} workers this context holds, of every kind. */
  int processMapWorkerCount();

  /** How many of this context's {@code processMap} workers run a batch now. */
  int processMapBusyWorkers();

  /** The statistics of the embedded server this context owns, or null if it connected to one. */
  @Nullable ServerStats serverStats();
}
