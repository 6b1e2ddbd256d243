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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The processes of one context: starts them (taking a JVM from the context's {@link SparePool} when
 * the options allow), lists them in start order, waits for and stops them.
 *
 * <p>A child JVM whose task returned a value and left the JVM as it found it goes back to the pool
 * ({@link JvmProcess.Reuse}), unless {@link #REUSE} is off or the process asked for {@code
 * freshJvm()}.
 */
public final class Processes {
  private static final Logger log = LoggerFactory.getLogger(Processes.class);

  /**
   * The parent's system property that turns JVM reuse off ({@code -Dio.zproc.reuseJvms=false}):
   * every process then gets a JVM of its own, as with {@code ProcessOptions.freshJvm()}.
   */
  public static final String REUSE = "io.zproc.reuseJvms";

  private static final boolean REUSING =
      !"false".equalsIgnoreCase(System.getProperty(REUSE, "true").trim());

  private final Child.Spec spec;
  private final SparePool pool;

  private final LongFunction<State> freshState;
  private final LongSupplier version;
  private final Supplier<ZProc> freshContext;
  private final List<ZProcess<?>> started = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
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
    this.pool = new SparePool(spec, spareCount, stats);
    this.freshState = freshState;
    this.freshContext = freshContext;
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
      boolean fresh = options.isFreshJvm() || !REUSING;
      Child child = plain ? pool.take(fresh) : null;
      ProcessStats.Kind how = ProcessStats.Kind.SPARE;
      if (child == null) {
        child = launch(options.jvmOptions(), options.environment(), options.isLean());
        how = ProcessStats.Kind.JVM;
        child.whenReady(nanos -> stats.booted(ProcessStats.Kind.JVM, nanos));
      }
      JvmProcess<R> jvm = new JvmProcess<>(child, loader, plain && !fresh ? pool : null);
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
                Mono.delay(SparePool.REFILL_DELAY).then())
            .subscribe(null, e -> pool.refill(), pool::refill);
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

  /**
   * Hands a pre-started spare JVM over to another use (a {@code processMap} worker), and boots its
   * replacement a little later; null if there is none.
   */
  public @Nullable Child adoptSpare() {
    return closed.get() ? null : pool.adopt();
  }

  /** How many spares the pool keeps now: the configured number, or more under demand. */
  public int spareTarget() {
    return pool.target();
  }

  /** How many spare JVMs are booted, connected and waiting for a task now. */
  public int sparesReady() {
    return pool.ready();
  }

  /** The pids of the spare JVMs waiting now (for tests and monitoring). */
  public List<Long> sparePids() {
    return pool.pids();
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
    pool.close();
    try {
      stopAll().block(Duration.ofSeconds(20));
    } catch (RuntimeException e) {
      log.warn("some processes did not stop in time: {}", e.toString());
    }
  }
}
