package io.zproc.internal.client;

import io.zproc.MapOptions;
import io.zproc.ZProc;
import java.util.List;

/**
 * Test-only views into a context made by {@code ZProc.start} or {@code ZProc.connect}: what tests
 * wait for or provoke and no program needs, through the context's package-private seams.
 */
public final class ContextProbe {
  private ContextProbe() {}

  /** How the context reaches its server: {@code direct}, {@code unix}, {@code tcp}, ... */
  public static String transport(ZProc ctx) {
    return of(ctx).transport();
  }

  /** Drops the context's current connection, as a network failure would. */
  public static void dropConnection(ZProc ctx) {
    of(ctx).dropConnection();
  }

  /** How many spare JVMs the context keeps now. */
  public static int spareTarget(ZProc ctx) {
    return of(ctx).spareTarget();
  }

  /** The pids of the context's spare JVMs waiting now. */
  public static List<Long> sparePids(ZProc ctx) {
    return of(ctx).sparePids();
  }

  /** What the context's processes did: starts, ends, reused JVMs. */
  public static io.zproc.internal.process.ProcessStats processStats(ZProc ctx) {
    return of(ctx).processStats();
  }

  /** How many {@code processMap} workers of the kind {@code options} asks for the context holds. */
  public static int mapWorkers(ZProc ctx, MapOptions options) {
    return of(ctx).processMapWorkers(options);
  }

  /** How many {@code processMap} batches those workers hold now, sent and not answered. */
  public static int mapBatchesInFlight(ZProc ctx, MapOptions options) {
    return of(ctx).processMapBatchesInFlight(options);
  }

  private static ClientContext of(ZProc ctx) {
    return (ClientContext) ctx;
  }
}
