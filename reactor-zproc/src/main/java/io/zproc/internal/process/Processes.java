package io.zproc.internal.process;

import io.zproc.Backend;
import io.zproc.ErrorCode;
import io.zproc.ProcessOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The processes of one context: starts them (taking a pre-started spare JVM when the options
 * allow), lists them in start order, waits for and stops them.
 *
 * <p>The spare pool refills in the background once the process that took a spare has its result (or
 * after {@link #REFILL_DELAY} for a longer task): booting a JVM takes 0.4-0.7 s of CPU, which on a
 * small machine the task needs first. It boots one JVM at a time. It grows with demand: a start
 * that finds no ready spare (a burst, or starts closer together than a JVM boots) raises the number
 * of spares kept by one, up to {@link #MAX_SPARES}; after {@link #SHRINK_AFTER} without a take it
 * shrinks back to the configured number.
 */
public final class Processes {
  private static final Logger log = LoggerFactory.getLogger(Processes.class);

  /** The most spares demand can grow the pool to (each idles in about 60 MB). */
  static final int MAX_SPARES = 8;

  /** The longest a take waits before the pool refills (sooner when the task ended). */
  static final Duration REFILL_DELAY = Duration.ofSeconds(1);

  /** How long the pool keeps the spares demand added after the last take. */
  static final Duration SHRINK_AFTER = Duration.ofSeconds(30);

  private final Child.Spec spec;
  private final int spareCount;
  private final AtomicInteger target;
  private volatile long lastTake = System.nanoTime();

  /** Whether the pool has begun to fill: the first start finds it empty without any demand. */
  private volatile boolean poolStarted;

  private final LongFunction<State> freshState;
  private final LongSupplier version;
  private final Supplier<ZProc> freshContext;
  private final List<ZProcess<?>> started = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Child> spares = new ConcurrentLinkedDeque<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService refiller;
  private final ProcessStats stats;

  /**
   * @param spec how children connect
   * @param spareCount how many pre-started JVMs to keep (0 = none)
   * @param version the namespace's current version: a task's state sees changes after it
   * @param freshState a new state client of the context's namespace whose cursor starts at a
   *     version (thread backend)
   * @param freshContext a new context on the same server (thread backend's context tasks)
   * @param stats where starts, ends and boot times are counted
   */
  public Processes(
      Child.Spec spec,
      int spareCount,
      LongSupplier version,
      LongFunction<State> freshState,
      Supplier<ZProc> freshContext,
      ProcessStats stats) {
    this.spec = spec;
    this.stats = stats;
    this.version = version;
    this.spareCount = spareCount;
    this.target = new AtomicInteger(spareCount);
    this.freshState = freshState;
    this.freshContext = freshContext;
    this.refiller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "zproc-spare-jvms");
              t.setDaemon(true);
              return t;
            });
    if (spareCount > 0) {
      long every = SHRINK_AFTER.toMillis() / 3;
      refiller.scheduleWithFixedDelay(this::shrinkIfIdle, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * What children of a context connect to, and how: the context's address, namespace, key and TLS
   * settings (a relative trust file is made absolute: a child resolves it the same way).
   */
  public static Child.Spec spec(String address, String namespace, ZProcOptions options) {
    java.nio.file.Path trust = options.tlsTrust();
    return new Child.Spec(
        address,
        namespace,
        options.secretKey(),
        options.tls(),
        trust == null ? null : trust.toAbsolutePath().toString());
  }

  /**
   * Fails, saying what to do instead, when child JVMs cannot reach the context's server: an in-JVM
   * {@code local:} server has no socket.
   *
   * @param what what needs the child JVMs, for the message
   * @throws ZProcException for a {@code local:} address
   */
  public static void requireReachable(Child.Spec spec, String what) {
    if (spec.address().startsWith("local:")) {
      throw new ZProcException(
          ErrorCode.PROCESS_FAILED,
          what
              + " needs child JVMs, and a child JVM cannot reach this context's in-JVM server ("
              + spec.address()
              + "): serve the state on a socket as well (ZProcServer.start(\"tcp://127.0.0.1:0\")"
              + " or a unix:// address) and connect to that, or run in this JVM with"
              + " backend(Backend.THREAD)");
    }
  }

  /**
   * Starts a task.
   *
   * @param contextTask whether the task is a ContextTask (else a ProcessTask)
   * @throws IllegalArgumentException if the task is not serializable, naming the culprit
   * @throws ZProcException if a child JVM cannot be started
   */
  public <R> ZProcess<R> start(boolean contextTask, Object task, ProcessOptions options) {
    if (closed.get()) {
      throw new IllegalStateException("this context is closed: it starts no more processes");
    }
    byte[] bytes = ChildPipe.serializeTask(task);
    byte kind = contextTask ? ChildPipe.CONTEXT_TASK : ChildPipe.STATE_TASK;
    List<String> retryFor = new ArrayList<>();
    options.retryFor().forEach(t -> retryFor.add(t.getName()));
    ClassLoader loader = task.getClass().getClassLoader();
    long cursor = version.getAsLong();
    ZProcess<R> process;
    if (options.backend() == Backend.THREAD) {
      ThreadProcess<R> thread =
          new ThreadProcess<>(
              bytes,
              kind,
              cursor,
              freshState,
              freshContext,
              options.maxRetries(),
              options.retryDelay().toMillis(),
              retryFor,
              loader);
      thread.start();
      process = thread;
      stats.start(ProcessStats.Kind.THREAD);
    } else {
      requireReachable(spec, "process(...)");
      boolean plain =
          options.jvmOptions().isEmpty() && options.environment().isEmpty() && !options.isLean();
      Child child = plain ? takeSpare() : null;
      ProcessStats.Kind how = ProcessStats.Kind.SPARE;
      if (child == null) {
        child = launch(options.jvmOptions(), options.environment(), options.isLean());
        how = ProcessStats.Kind.JVM;
        child.whenReady(nanos -> stats.booted(ProcessStats.Kind.JVM, nanos));
      }
      JvmProcess<R> jvm = new JvmProcess<>(child, loader);
      // Listen before sending: a warm spare may answer before the next line runs.
      jvm.start();
      try {
        child.sendTask(
            kind, cursor, options.maxRetries(), options.retryDelay().toMillis(), retryFor, bytes);
      } catch (IOException e) {
        throw diedBeforeItsTask(child, options.jvmOptions(), e);
      }
      process = jvm;
      stats.start(how);
      if (plain) {
        Mono.firstWithSignal(
                jvm.result().then().onErrorResume(e -> Mono.empty()),
                Mono.delay(REFILL_DELAY).then())
            .subscribe(null, e -> refill(), this::refill);
      }
    }
    process.onExit().subscribe(null, e -> stats.ended(), stats::ended);
    started.add(process);
    return process;
  }

  /**
   * The error for a child JVM that was gone before it could read its task: most often a JVM that
   * refused its command line, which says why on its stderr.
   */
  static ZProcException diedBeforeItsTask(Child child, List<String> jvmOptions, IOException e) {
    String output = "";
    try {
      // It is dying or dead: its exit and its last words follow within moments.
      if (child.process.waitFor(5, TimeUnit.SECONDS)) {
        child.awaitExit(1000);
      }
      output = child.lastErrorOutput();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    child.kill();
    StringBuilder message =
        new StringBuilder("the child JVM ").append(child.pid()).append(" died before its task");
    if (!child.process.isAlive()) {
      message.append(" (exit code ").append(child.process.exitValue()).append(')');
    }
    if (!output.isEmpty()) {
      message.append(": it wrote: ").append(output);
    } else {
      message.append(": ").append(e);
    }
    if (!jvmOptions.isEmpty()) {
      message.append("; its ProcessOptions.jvmOptions were ").append(jvmOptions);
    }
    return new ZProcException(ErrorCode.PROCESS_FAILED, message.toString(), e);
  }

  private Child launch(
      List<String> jvmOptions, java.util.Map<String, String> environment, boolean lean) {
    try {
      return Child.start(spec, jvmOptions, environment, lean);
    } catch (IllegalStateException e) {
      throw new ZProcException(ErrorCode.PROCESS_FAILED, String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * Hands a pre-started spare JVM over to another use (a {@code processMap} worker), and boots its
   * replacement a little later; null if there is none.
   */
  public @Nullable Child adoptSpare() {
    if (closed.get()) {
      return null;
    }
    Child child = takeSpare();
    if (child != null) {
      Mono.delay(REFILL_DELAY).subscribe(v -> refill());
    }
    return child;
  }

  /**
   * Takes a spare (booted or still booting: either is ahead of a new JVM), a quiet one if it can;
   * when none is ready, once the pool has begun to fill, demand grows the pool by one. Null when
   * the pool is off or empty. The caller refills.
   */
  private @Nullable Child takeSpare() {
    if (spareCount <= 0) {
      return null;
    }
    lastTake = System.nanoTime();
    Child child = takeQuiet();
    if (child == null) {
      while ((child = spares.poll()) != null) {
        if (child.process.isAlive()) {
          break;
        }
      }
    }
    boolean demand = poolStarted;
    poolStarted = true;
    if ((child == null || !child.isReady()) && demand) {
      target.getAndUpdate(t -> Math.min(Math.max(MAX_SPARES, spareCount), t + 1));
    }
    return child;
  }

  /**
   * The oldest ready spare that is not warming up, if any: a task sent to a spare in its warm-up
   * waits for the call in flight and shares the JVM with the compiler's work on it (10-50 ms more
   * to a trivial task's result, measured).
   */
  private @Nullable Child takeQuiet() {
    for (Child c : spares) {
      if (c.isReady() && !c.isWarming() && c.process.isAlive() && spares.remove(c)) {
        return c;
      }
    }
    return null;
  }

  /** Back to the configured number of spares once no take came for {@link #SHRINK_AFTER}. */
  private void shrinkIfIdle() {
    if (closed.get()
        || target.get() <= spareCount
        || System.nanoTime() - lastTake < SHRINK_AFTER.toNanos()) {
      return;
    }
    target.set(spareCount);
    Child extra;
    while (spares.size() > spareCount && (extra = spares.pollLast()) != null) {
      extra.retire();
    }
  }

  private void refill() {
    if (spareCount <= 0 || closed.get()) {
      return;
    }
    try {
      refiller.execute(this::fillSpares);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile: no more spares
    }
  }

  /** Boots spares one at a time, each until it is ready, up to the pool's current size. */
  private void fillSpares() {
    while (!closed.get() && spares.size() < target.get()) {
      Child child;
      try {
        // Only the configured spares warm up: spares that demand added are taken soon, and
        // their warm-ups would compete with the starts that made the demand.
        child =
            Child.start(
                spec, Launcher.spareCommand(spares.size() < spareCount), java.util.Map.of());
      } catch (RuntimeException e) {
        log.warn("cannot pre-start a spare JVM: {}", e.toString());
        return;
      }
      Child started = child;
      child.whenReady(nanos -> stats.booted(ProcessStats.Kind.SPARE, nanos));
      child.attach(
          new Child.Listener() {
            @Override
            public void frame(String type, byte[] payload) {}

            @Override
            public void exited(int exitCode) {
              spares.remove(started);
            }
          });
      spares.add(child);
      try {
        if (!child.awaitReady(30_000) && !child.process.isAlive()) {
          log.warn("a spare JVM exited before it was ready (exit code {})", exitCodeOf(child));
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static int exitCodeOf(Child child) {
    try {
      return child.process.exitValue();
    } catch (IllegalThreadStateException e) {
      return -1;
    }
  }

  /** How many spares the pool keeps now: the configured number, or more under demand. */
  public int spareTarget() {
    return target.get();
  }

  /** How many spare JVMs are booted, connected and waiting for a task now. */
  public int sparesReady() {
    int ready = 0;
    for (Child c : spares) {
      if (c.isReady() && c.process.isAlive()) {
        ready++;
      }
    }
    return ready;
  }

  /** The pids of the spare JVMs waiting now (for tests and monitoring). */
  public List<Long> sparePids() {
    List<Long> pids = new java.util.ArrayList<>();
    for (Child c : spares) {
      pids.add(c.pid());
    }
    return pids;
  }

  /** The processes started so far, in start order. */
  public List<ZProcess<?>> list() {
    return List.copyOf(started);
  }

  /** Their results in start order; errors (after all ended) if any failed. */
  public Mono<List<Object>> waitAll() {
    List<ZProcess<?>> all = list();
    return Flux.fromIterable(all)
        .concatMap(
            p ->
                p.result()
                    .<Object>map(v -> (Object) Optional.of(v))
                    .defaultIfEmpty(Optional.empty())
                    .onErrorResume(e -> Mono.just(e)))
        .collectList()
        .flatMap(
            outcomes -> {
              List<Object> values = new ArrayList<>();
              Throwable failure = null;
              for (Object o : outcomes) {
                if (o instanceof Throwable) {
                  if (failure == null) {
                    failure = (Throwable) o;
                  } else {
                    failure.addSuppressed((Throwable) o);
                  }
                  values.add(null);
                } else {
                  values.add(((Optional<?>) o).orElse(null));
                }
              }
              return failure == null ? Mono.just(values) : Mono.error(failure);
            });
  }

  /** Stops every process; completes when all have ended. */
  public Mono<Void> stopAll() {
    return Flux.fromIterable(list()).flatMap(ZProcess::stop).then();
  }

  /** Kills every child and spare; waits briefly for them to end. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    refiller.shutdown();
    try {
      refiller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Child> retiring = new ArrayList<>(spares);
    spares.clear();
    for (Child spare : retiring) {
      spare.retire();
    }
    // Let idle spares finish connecting and leave cleanly before the server may close.
    for (Child spare : retiring) {
      try {
        spare.process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      stopAll().block(Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      log.warn("some processes did not stop in time: {}", e.toString());
    }
  }
}
