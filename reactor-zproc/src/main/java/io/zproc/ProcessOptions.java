package io.zproc;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ZProc#process} runs a task. Immutable: each wither returns a changed copy.
 *
 * <pre>{@code
 * ProcessOptions.defaults().retryFor(IOException.class).retryDelay(Duration.ofSeconds(1)).maxRetries(3)
 * }</pre>
 */
public final class ProcessOptions {
  private static final ProcessOptions DEFAULTS =
      new ProcessOptions(
          List.of(), Duration.ofSeconds(5), 0, Backend.JVM, List.of(), Map.of(), false, false);

  private final List<Class<? extends Throwable>> retryFor;
  private final Duration retryDelay;
  private final int maxRetries;
  private final Backend backend;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final boolean lean;
  private final boolean fresh;

  private ProcessOptions(
      List<Class<? extends Throwable>> retryFor,
      Duration retryDelay,
      int maxRetries,
      Backend backend,
      List<String> jvmOptions,
      Map<String, String> environment,
      boolean lean,
      boolean fresh) {
    this.retryFor = retryFor;
    this.retryDelay = retryDelay;
    this.maxRetries = maxRetries;
    this.backend = backend;
    this.jvmOptions = jvmOptions;
    this.environment = environment;
    this.lean = lean;
    this.fresh = fresh;
  }

  /** No retries, a child JVM, no extra JVM options or environment. */
  public static ProcessOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Re-runs the task (in the same child) when it throws one of these types, up to {@link
   * #maxRetries} times, after {@link #retryDelay}; each failure prints a short crash report to the
   * child's stderr. By default none. With types but no {@code maxRetries}, the task is retried
   * without limit, as the original did.
   */
  @SafeVarargs
  public final ProcessOptions retryFor(Class<? extends Throwable>... types) {
    for (Class<? extends Throwable> t : types) {
      Objects.requireNonNull(t, "types must not contain null");
    }
    return new ProcessOptions(
        List.of(types), retryDelay, maxRetries, backend, jvmOptions, environment, lean, fresh);
  }

  /**
   * The pause before a retry. By default 5 seconds (the original's default).
   *
   * @throws IllegalArgumentException if negative
   */
  public ProcessOptions retryDelay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("retryDelay must not be negative, got " + delay);
    }
    return new ProcessOptions(
        retryFor, delay, maxRetries, backend, jvmOptions, environment, lean, fresh);
  }

  /**
   * How many times to retry; 0 (the default) means without limit when {@link #retryFor} is set.
   *
   * @throws IllegalArgumentException if negative
   */
  public ProcessOptions maxRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + retries);
    }
    return new ProcessOptions(
        retryFor, retryDelay, retries, backend, jvmOptions, environment, lean, fresh);
  }

  /** Where the task runs. By default {@link Backend#JVM}. */
  public ProcessOptions backend(Backend where) {
    Objects.requireNonNull(where, "where");
    return new ProcessOptions(
        retryFor, retryDelay, maxRetries, where, jvmOptions, environment, lean, fresh);
  }

  /** Extra options for the child JVM, e.g. {@code -Xmx512m}. By default none. */
  public ProcessOptions jvmOptions(String... options) {
    for (String o : options) {
      Objects.requireNonNull(o, "options must not contain null");
    }
    return new ProcessOptions(
        retryFor, retryDelay, maxRetries, backend, List.of(options), environment, lean, fresh);
  }

  /**
   * Starts the child JVM with lean settings instead of the defaults: the C1 compiler only, the
   * serial collector with a small heap that gives memory back, small thread stacks, a small code
   * cache. A child then idles in about 10 MB less and starts a little faster, but computes at about
   * half the speed once warm: for many mostly idle children (watchers, {@code callWhen*}), not for
   * CPU work. By default off: a child computes as fast as its parent. A process with lean settings
   * never takes a pre-started spare JVM. Your own {@link #jvmOptions} still replace the flags of
   * their kind. See docs/processes.md, "Output, options, environment".
   */
  public ProcessOptions lean() {
    return new ProcessOptions(
        retryFor, retryDelay, maxRetries, backend, jvmOptions, environment, true, fresh);
  }

  /** Whether the child JVM starts with the lean settings ({@link #lean()}). */
  public boolean isLean() {
    return lean;
  }

  /**
   * Runs the task in a JVM that ran no task before it and runs none after it. By default a child
   * JVM whose task returned a value and left no thread, system property or standard stream changed
   * may go back to its context's spare pool and run a later task of the same context (static fields
   * and JVM-wide defaults such as {@code Locale.getDefault()} then outlive the task, as they do in
   * a thread pool): a start served by such a JVM takes milliseconds and runs its first calls
   * compiled, where a new JVM takes 0.3-0.7 s of CPU to boot. Ask for a fresh JVM for a task that
   * relies on static state starting empty, or that must not leave any. Processes with their own
   * {@link #jvmOptions}, {@link #environment} or {@link #lean()} settings always run in a JVM of
   * their own. See docs/processes.md, "JVM reuse".
   */
  public ProcessOptions freshJvm() {
    return new ProcessOptions(
        retryFor, retryDelay, maxRetries, backend, jvmOptions, environment, lean, true);
  }

  /** Whether the task runs in a JVM of its own that runs no other task ({@link #freshJvm()}). */
  public boolean isFreshJvm() {
    return fresh;
  }

  /** An environment variable for the child JVM (added to the parent's). */
  public ProcessOptions environment(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(name, value);
    return new ProcessOptions(
        retryFor,
        retryDelay,
        maxRetries,
        backend,
        jvmOptions,
        Collections.unmodifiableMap(env),
        lean,
        fresh);
  }

  /** The exception types that cause a retry. */
  public List<Class<? extends Throwable>> retryFor() {
    return retryFor;
  }

  /** The pause before a retry. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** The retry limit (0 = none, when retryFor is set). */
  public int maxRetries() {
    return maxRetries;
  }

  /** The backend. */
  public Backend backend() {
    return backend;
  }

  /** Extra JVM options. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** Extra environment variables. */
  public Map<String, String> environment() {
    return environment;
  }

  @Override
  public String toString() {
    return "ProcessOptions[retryFor="
        + retryFor
        + ", retryDelay="
        + retryDelay
        + ", maxRetries="
        + maxRetries
        + ", backend="
        + backend
        + ", jvmOptions="
        + jvmOptions
        + ", environment="
        + environment.keySet()
        + (lean ? ", lean" : "")
        + (fresh ? ", freshJvm" : "")
        + "]";
  }
}
