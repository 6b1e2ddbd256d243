package io.zproc;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ZProc#processMap} runs: how many workers, how items are batched, how far it reads
 * ahead, where workers run and how long idle ones stay. Immutable: each wither returns a changed
 * copy.
 *
 * <pre>{@code
 * MapOptions.defaults().count(4)                 // batches size themselves
 * MapOptions.defaults().count(4).chunkSize(256)  // a fixed batch size instead
 * }</pre>
 */
public final class MapOptions {
  /** The most workers one call may ask for. */
  public static final int MAX_COUNT = 256;

  /** The largest batch. */
  public static final int MAX_CHUNK_SIZE = 1 << 16;

  /** The largest batch the adaptive sizing makes (when no {@link #chunkSize(int)} is set). */
  public static final int MAX_ADAPTIVE_CHUNK = 1 << 14;

  /** How long idle workers stay by default. */
  private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

  private static final MapOptions DEFAULTS =
      new MapOptions(0, 0, 0, 3, Backend.JVM, List.of(), Map.of(), DEFAULT_KEEP_ALIVE, false);

  private final int count;
  private final int chunkSize;
  private final int prefetch;
  private final int maxRedeliveries;
  private final Backend backend;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Duration keepAlive;
  private final boolean remote;

  private MapOptions(
      int count,
      int chunkSize,
      int prefetch,
      int maxRedeliveries,
      Backend backend,
      List<String> jvmOptions,
      Map<String, String> environment,
      Duration keepAlive,
      boolean remote) {
    this.count = count;
    this.chunkSize = chunkSize;
    this.prefetch = prefetch;
    this.maxRedeliveries = maxRedeliveries;
    this.backend = backend;
    this.jvmOptions = jvmOptions;
    this.environment = environment;
    this.keepAlive = keepAlive;
    this.remote = remote;
  }

  /**
   * One worker per available processor, batches that size themselves (see {@link #chunkSize(int)}),
   * a read-ahead of {@code 2 × count ×} {@value #MAX_ADAPTIVE_CHUNK} items, 3 re-runs of a batch
   * whose worker died, worker JVMs with no extra JVM options or environment.
   */
  public static MapOptions defaults() {
    return DEFAULTS;
  }

  /**
   * How many workers run this call's items at once (the original's {@code count}). The context's
   * pool starts workers until it has this many of this kind and keeps them for later calls (see
   * {@link #keepAlive}). By default the number of available processors.
   *
   * @param workers 1 to {@value #MAX_COUNT}
   * @throws IllegalArgumentException if out of range
   */
  public MapOptions count(int workers) {
    if (workers < 1 || workers > MAX_COUNT) {
      throw new IllegalArgumentException(
          "count must be between 1 and "
              + MAX_COUNT
              + " workers, got "
              + workers
              + "; each worker is a JVM (or a thread with Backend.THREAD)");
    }
    return new MapOptions(
        workers,
        chunkSize,
        prefetch,
        maxRedeliveries,
        backend,
        jvmOptions,
        environment,
        keepAlive,
        remote);
  }

  /**
   * A fixed batch size: the most items sent to a worker in one batch. By default none: batches size
   * themselves, starting at one item and growing while items are cheap, so that a worker spends
   * about 1-2 ms on a batch (up to {@value #MAX_ADAPTIVE_CHUNK} items, and at most half of each
   * worker's share of {@link #prefetch(int)}); they shrink when items get expensive, and halve when
   * a worker idles while another has a batch of a millisecond or more queued. Set it only to
   * override that. A batch goes out when it is full, when the source has delivered every item asked
   * of it (the rest is then split across idle workers), or when a worker would otherwise be idle.
   *
   * @param items 1 to {@value #MAX_CHUNK_SIZE}
   * @throws IllegalArgumentException if out of range
   */
  public MapOptions chunkSize(int items) {
    if (items < 1 || items > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "chunkSize must be between 1 and " + MAX_CHUNK_SIZE + " items, got " + items);
    }
    return new MapOptions(
        count,
        items,
        prefetch,
        maxRedeliveries,
        backend,
        jvmOptions,
        environment,
        keepAlive,
        remote);
  }

  /**
   * The most items taken from the source and not yet emitted downstream (waiting for a batch, in a
   * worker, or done and waiting for an earlier item). The subscriber's demand bounds it further:
   * the source is never asked for more items than the subscriber asked for. By default {@code 2 ×
   * count × chunkSize} (with adaptive batches, {@code 2 × count ×} {@value #MAX_ADAPTIVE_CHUNK}):
   * each worker has one batch running and one queued. A smaller prefetch also caps the adaptive
   * batch size.
   *
   * @param items at least 1
   * @throws IllegalArgumentException if below 1
   */
  public MapOptions prefetch(int items) {
    if (items < 1) {
      throw new IllegalArgumentException(
          "prefetch must be at least 1 item, got " + items + "; it bounds the items in flight");
    }
    return new MapOptions(
        count,
        chunkSize,
        items,
        maxRedeliveries,
        backend,
        jvmOptions,
        environment,
        keepAlive,
        remote);
  }

  /**
   * How many times a batch is re-run after the worker running it died; one more death ends the map
   * with a {@link ZProcException} (a task that kills its JVM, or workers that cannot start). By
   * default 3.
   *
   * @param times 0 or more
   * @throws IllegalArgumentException if negative
   */
  public MapOptions maxRedeliveries(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("maxRedeliveries must be >= 0, got " + times);
    }
    return new MapOptions(
        count, chunkSize, prefetch, times, backend, jvmOptions, environment, keepAlive, remote);
  }

  /**
   * Where workers run: {@link Backend#JVM} (the default) or {@link Backend#THREAD} (threads of this
   * JVM, for tests and light work; items, results and the task still go through serialization).
   */
  public MapOptions backend(Backend where) {
    Objects.requireNonNull(where, "where");
    return new MapOptions(
        count,
        chunkSize,
        prefetch,
        maxRedeliveries,
        where,
        jvmOptions,
        environment,
        keepAlive,
        remote);
  }

  /**
   * Extra options for worker JVMs, e.g. {@code -Xmx512m}. Workers with different options form
   * separate groups in the pool. By default none.
   *
   * @throws NullPointerException if an option is null
   */
  public MapOptions jvmOptions(String... options) {
    for (String o : options) {
      Objects.requireNonNull(o, "options must not contain null");
    }
    return new MapOptions(
        count,
        chunkSize,
        prefetch,
        maxRedeliveries,
        backend,
        List.of(options),
        environment,
        keepAlive,
        remote);
  }

  /** An environment variable for worker JVMs (added to the parent's); a separate pool group. */
  public MapOptions environment(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(name, value);
    return new MapOptions(
        count,
        chunkSize,
        prefetch,
        maxRedeliveries,
        backend,
        jvmOptions,
        Collections.unmodifiableMap(env),
        keepAlive,
        remote);
  }

  /**
   * How long the workers of this kind stay once no call uses them: the context's pool stops them
   * after this idle time, and a later call starts new ones (a cold start, about half a second per
   * worker JVM). Calls that follow each other within it reuse the warm workers. By default 60 s.
   *
   * @param idle 0 (stop them as soon as the last call ends) or more
   * @throws IllegalArgumentException if negative
   */
  public MapOptions keepAlive(Duration idle) {
    Objects.requireNonNull(idle, "idle");
    if (idle.isNegative()) {
      throw new IllegalArgumentException("keepAlive must be >= 0, got " + idle);
    }
    return new MapOptions(
        count,
        chunkSize,
        prefetch,
        maxRedeliveries,
        backend,
        jvmOptions,
        environment,
        idle,
        remote);
  }

  /**
   * Whether batches go to the remote workers that joined this context's server ({@code zproc
   * worker}, {@link ZProcWorker}) instead of worker JVMs this context starts. By default false.
   *
   * <p>With {@code true}: the server hands each batch to a joined worker with a free slot; the
   * {@code Flux} keeps every guarantee of a local {@code processMap} (order, demand, cancel, errors
   * naming the item's index, batches of a worker that leaves re-run on another). {@link
   * #count(int)} bounds the batches this call keeps at the workers ({@code 2 × count}); {@link
   * #backend}, {@link #jvmOptions}, {@link #environment} and {@link #keepAlive} do not apply. With
   * no worker joined, the batches wait at the server for one (the call's demand stays bounded); use
   * {@code Flux.timeout} to give up. Results are deserialized here only for {@code java.base} value
   * types, {@code io.zproc} classes and the classes of the task's own package and its sub-packages
   * (see docs/process-map.md, "Remote workers").
   *
   * @param enabled true to send batches to remote workers
   */
  public MapOptions remote(boolean enabled) {
    return new MapOptions(
        count,
        chunkSize,
        prefetch,
        maxRedeliveries,
        backend,
        jvmOptions,
        environment,
        keepAlive,
        enabled);
  }

  /** Whether batches go to remote workers (see {@link #remote(boolean)}). */
  public boolean remote() {
    return remote;
  }

  /** How long idle workers of this kind stay. */
  public Duration keepAlive() {
    return keepAlive;
  }

  /** The number of workers: as set, or the number of available processors. */
  public int count() {
    return count > 0 ? count : Math.min(MAX_COUNT, Runtime.getRuntime().availableProcessors());
  }

  /** The fixed batch size, or 0 when batches size themselves (the default). */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * The read-ahead bound: as set, or {@code 2 × count × chunkSize} (chunk size {@value
   * #MAX_ADAPTIVE_CHUNK} when adaptive; at most 2^30).
   */
  public int prefetch() {
    int chunk = chunkSize > 0 ? chunkSize : MAX_ADAPTIVE_CHUNK;
    return prefetch > 0 ? prefetch : (int) Math.min(1 << 30, 2L * count() * chunk);
  }

  /** How many times a batch is re-run after its worker died. */
  public int maxRedeliveries() {
    return maxRedeliveries;
  }

  /** Where workers run. */
  public Backend backend() {
    return backend;
  }

  /** Extra JVM options of the workers. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** Extra environment variables of the workers. */
  public Map<String, String> environment() {
    return environment;
  }

  @Override
  public String toString() {
    return "MapOptions[count="
        + count()
        + ", chunkSize="
        + (chunkSize > 0 ? String.valueOf(chunkSize) : "adaptive")
        + ", prefetch="
        + prefetch()
        + ", maxRedeliveries="
        + maxRedeliveries
        + ", backend="
        + backend
        + ", jvmOptions="
        + jvmOptions
        + ", environment="
        + environment.keySet()
        + ", keepAlive="
        + keepAlive
        + (remote ? ", remote" : "")
        + "]";
  }
}
