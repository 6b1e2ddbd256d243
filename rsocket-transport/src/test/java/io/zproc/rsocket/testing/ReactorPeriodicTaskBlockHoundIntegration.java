package io.zproc.rsocket.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allows cancelling a periodic Reactor task on a non-blocking thread, as Reactor's own integration
 * already allows for one-shot tasks ({@code SchedulerTask.dispose}, {@code WorkerTask.dispose}):
 * {@code ScheduledFutureTask.cancel} briefly takes the {@code DelayedWorkQueue} lock to remove the
 * task. RSocket hits this when a connection closes on its event loop and it stops the keep-alive
 * interval ({@code KeepAliveSupport.dispose}).
 */
public final class ReactorPeriodicTaskBlockHoundIntegration implements BlockHoundIntegration {
  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose");
    builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicSchedulerTask", "dispose");
  }
}
