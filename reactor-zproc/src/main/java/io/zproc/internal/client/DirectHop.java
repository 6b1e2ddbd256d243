package io.zproc.internal.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Exceptions;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Moves replies of in-JVM connections off the writer's thread onto Reactor's parallel workers, in
 * batches: a writer whose change releases 10,000 waits queues 10,000 tasks and schedules a handful
 * of drains, instead of scheduling (and waking a worker for) each reply. The tasks are spread over
 * as many queues as the parallel scheduler has workers, so replies still run side by side; a drain
 * runs at most {@value #BATCH} tasks before it yields its worker to other work.
 */
final class DirectHop implements Executor {
  /** The scheduler for {@code publishOn}: each task goes to one of the queues, in turn. */
  static final Scheduler SCHEDULER = Schedulers.fromExecutor(new DirectHop());

  private static final int BATCH = 1024;

  private final Worker[] queues;
  private final AtomicInteger next = new AtomicInteger();

  private DirectHop() {
    queues = new Worker[Math.max(1, Schedulers.DEFAULT_POOL_SIZE)];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new Worker();
    }
  }

  @Override
  public void execute(Runnable task) {
    queues[(next.getAndIncrement() & Integer.MAX_VALUE) % queues.length].offer(task);
  }

  /** One queue, drained by one parallel worker at a time. */
  private static final class Worker implements Runnable {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    void offer(Runnable task) {
      tasks.offer(task);
      if (scheduled.compareAndSet(false, true)) {
        Schedulers.parallel().schedule(this);
      }
    }

    @Override
    public void run() {
      for (int i = 0; i < BATCH; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (Throwable e) {
          Exceptions.throwIfJvmFatal(e);
          Operators.onErrorDropped(e, Context.empty());
        }
      }
      scheduled.set(false);
      // a task queued after the last poll, or left past the batch: drain again
      if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
        Schedulers.parallel().schedule(this);
      }
    }
  }
}
