package io.zproc.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.zproc.ZProc;
import io.zproc.ZProcServer;
import io.zproc.internal.client.Introspection;
import io.zproc.internal.process.ProcessStats;
import io.zproc.internal.server.ServerIntrospection;
import io.zproc.internal.server.ServerStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the meters of a {@link ZProc} context (its processes, and its embedded server if it owns
 * one) or of a {@link ZProcServer} to a Micrometer {@link MeterRegistry}.
 *
 * <pre>{@code
 * try (ZProc ctx = ZProc.start();
 *     ZProcMetrics metrics = new ZProcMetrics(ctx)) {
 *   metrics.bindTo(registry);              // zproc.processes.*, zproc.server.*
 *   ...
 * }
 * }</pre>
 *
 * <p>The meters (every one carries the tags given to the constructor):
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code zproc.processes.started}</td><td>function counter</td><td>{@code kind}:
 *       {@code spare}, {@code jvm}, {@code thread}</td><td>processes the context started ({@code
 *       process}, {@code processWithContext}, {@code processFactory}, {@code callWhen*}; not {@code
 *       processMap} workers) since it was made: on a pre-started spare JVM, on a JVM booted for
 *       it, on a thread</td></tr>
 *   <tr><td>{@code zproc.processes.reused}</td><td>function counter</td><td></td><td>times a
 *       child JVM went back to the spare pool after its task, to run a later one</td></tr>
 *   <tr><td>{@code zproc.processes.running}</td><td>gauge</td><td></td><td>those that have not
 *       ended</td></tr>
 *   <tr><td>{@code zproc.processes.spares.ready}</td><td>gauge</td><td></td><td>spare JVMs booted,
 *       connected and waiting for a task</td></tr>
 *   <tr><td>{@code zproc.processes.start}</td><td>timer</td><td>{@code kind}: {@code spare},
 *       {@code jvm}</td><td>from the fork of a child JVM to its connection to the server, for
 *       JVMs booted for the spare pool or for one process; recorded from {@link #bindTo} on</td>
 *       </tr>
 *   <tr><td>{@code zproc.server.connections}</td><td>gauge</td><td></td><td>connections open to
 *       the server, of every transport (a same-host lane counts with its connection)</td></tr>
 *   <tr><td>{@code zproc.server.watches}</td><td>gauge</td><td></td><td>open change streams and
 *       waiting {@code when*} calls, all namespaces</td></tr>
 *   <tr><td>{@code zproc.server.namespaces}</td><td>gauge</td><td></td><td>namespaces the server
 *       holds</td></tr>
 *   <tr><td>{@code zproc.server.journal.changes}</td><td>gauge</td><td>{@code namespace}</td>
 *       <td>changes the namespace's journal keeps</td></tr>
 *   <tr><td>{@code zproc.server.journal.bytes}</td><td>gauge (bytes)</td><td>{@code namespace}
 *       </td><td>the journal's estimated size</td></tr>
 * </table>
 *
 * <p>The {@code zproc.server.*} meters exist only for a context that owns its server ({@link
 * ZProc#start()}) or for a {@link ZProcServer}; a context made by {@link ZProc#connect(String)} has
 * the process meters only. The journal gauges are tagged with the first {@code maxTaggedNamespaces}
 * namespaces the server made (50 by default); the namespaces beyond those add up under {@code
 * namespace=_other}, so that a server with many namespaces does not make many time series.
 *
 * <p>Two contexts bound to one registry need a tag that tells them apart (Micrometer keeps the
 * first meter of a name and tags): give one to the constructor, such as {@code Tags.of("context",
 * "orders")}.
 *
 * <p><b>Threading:</b> thread-safe. Reading a meter never blocks and costs no server round trip.
 * {@link #bindTo} may be called for several registries; {@link #close()} removes this binder's
 * meters from each and stops recording.
 */
// "exports": Micrometer's types here are not passed on (requires transitive) by the io.zproc
// module, as Micrometer is optional; a module that uses the meters requires micrometer.core.
@SuppressWarnings("exports")
public final class ZProcMetrics implements MeterBinder, AutoCloseable {

  /** How many namespaces get their own {@code namespace} tag by default. */
  public static final int DEFAULT_MAX_TAGGED_NAMESPACES = 50;

  /** The {@code namespace} tag of the namespaces beyond the tagged ones, added up. */
  public static final String OTHER_NAMESPACES = "_other";

  private static final Logger log = LoggerFactory.getLogger(ZProcMetrics.class);

  private final @Nullable Introspection context;
  private final @Nullable ServerStats server;
  private final Tags tags;
  private final int maxTaggedNamespaces;
  private final List<Binding> bindings = new ArrayList<>();
  private boolean closed;

  /**
   * Meters of a context, with no extra tags and {@link #DEFAULT_MAX_TAGGED_NAMESPACES}.
   *
   * @param zproc a context made by {@link ZProc#start} or {@link ZProc#connect}
   * @throws IllegalArgumentException if {@code zproc} is not one of the library's own contexts
   */
  public ZProcMetrics(ZProc zproc) {
    this(zproc, Tags.empty(), DEFAULT_MAX_TAGGED_NAMESPACES);
  }

  /**
   * Meters of a context.
   *
   * @param zproc a context made by {@link ZProc#start} or {@link ZProc#connect}
   * @param tags added to every meter
   * @param maxTaggedNamespaces how many namespaces get their own {@code namespace} tag, 0 or more;
   *     the others add up under {@link #OTHER_NAMESPACES}
   * @throws IllegalArgumentException if {@code zproc} is not one of the library's own contexts (a
   *     proxy or a test double), or {@code maxTaggedNamespaces} is negative
   */
  public ZProcMetrics(ZProc zproc, Iterable<Tag> tags, int maxTaggedNamespaces) {
    Objects.requireNonNull(zproc, "zproc");
    if (!(zproc instanceof Introspection)) {
      throw new IllegalArgumentException(
          "ZProcMetrics reads the contexts that ZProc.start() and ZProc.connect() make, not a "
              + zproc.getClass().getName()
              + "; bind the library's context itself");
    }
    this.context = (Introspection) zproc;
    this.server = context.serverStats();
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.maxTaggedNamespaces = checkMax(maxTaggedNamespaces);
  }

  /**
   * Meters of a server ({@code zproc.server.*} only), with no extra tags and {@link
   * #DEFAULT_MAX_TAGGED_NAMESPACES}.
   *
   * @param server a server made by {@link ZProcServer#start}
   * @throws IllegalArgumentException if {@code server} is not one of the library's own servers
   */
  public ZProcMetrics(ZProcServer server) {
    this(server, Tags.empty(), DEFAULT_MAX_TAGGED_NAMESPACES);
  }

  /**
   * Meters of a server ({@code zproc.server.*} only).
   *
   * @param server a server made by {@link ZProcServer#start}
   * @param tags added to every meter
   * @param maxTaggedNamespaces how many namespaces get their own {@code namespace} tag, 0 or more
   * @throws IllegalArgumentException if {@code server} is not one of the library's own servers, or
   *     {@code maxTaggedNamespaces} is negative
   */
  public ZProcMetrics(ZProcServer server, Iterable<Tag> tags, int maxTaggedNamespaces) {
    Objects.requireNonNull(server, "server");
    if (!(server instanceof ServerIntrospection)) {
      throw new IllegalArgumentException(
          "ZProcMetrics reads the servers that ZProcServer.start() makes, not a "
              + server.getClass().getName());
    }
    this.context = null;
    this.server = ((ServerIntrospection) server).stats();
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    this.maxTaggedNamespaces = checkMax(maxTaggedNamespaces);
  }

  private static int checkMax(int max) {
    if (max < 0) {
      throw new IllegalArgumentException("maxTaggedNamespaces must be >= 0, got " + max);
    }
    return max;
  }

  /**
   * Registers the meters with a registry and starts recording the timers. Binding to a registry
   * this binder is already bound to does nothing.
   *
   * @throws IllegalStateException if this binder is closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Binding binding = new Binding(registry);
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("this ZProcMetrics is closed: make a new one to bind");
      }
      for (Binding bound : bindings) {
        if (bound.registry == registry) {
          return; // bound already: binding again would record every boot twice
        }
      }
      bindings.add(binding);
    }
    if (context != null) {
      binding.bindProcesses(context);
    }
    if (server != null) {
      binding.bindServer(server);
    }
  }

  /**
   * Stops recording and removes this binder's meters from every registry it was bound to.
   * Idempotent.
   */
  @Override
  public void close() {
    List<Binding> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(bindings);
      bindings.clear();
    }
    for (Binding binding : all) {
      binding.close();
    }
  }

  /** The meters and observers of one registry. */
  private final class Binding {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final List<Runnable> observers = new ArrayList<>();
    private final Set<String> tagged = new HashSet<>();
    private boolean otherRegistered;
    private boolean closed;

    Binding(MeterRegistry registry) {
      this.registry = registry;
    }

    /** Keeps a meter to remove on close; removes it at once if closed meanwhile. */
    void add(Meter meter) {
      boolean keep;
      synchronized (this) {
        keep = !closed;
        if (keep) {
          meters.add(meter);
        }
      }
      if (!keep) {
        registry.remove(meter); // outside this lock: the registry has locks of its own
      }
    }

    /** Keeps an observer's remover to run on close; runs it at once if closed meanwhile. */
    void observe(Runnable remover) {
      boolean keep;
      synchronized (this) {
        keep = !closed;
        if (keep) {
          observers.add(remover);
        }
      }
      if (!keep) {
        remover.run();
      }
    }

    void bindProcesses(Introspection ctx) {
      ProcessStats stats = ctx.processStats();
      for (ProcessStats.Kind kind : ProcessStats.Kind.values()) {
        add(
            FunctionCounter.builder("zproc.processes.started", stats, s -> s.started(kind))
                .description(
                    "Processes this context started, by how they got their JVM (spare, jvm) or"
                        + " thread")
                .tags(tags)
                .tag("kind", kind.tag())
                .register(registry));
      }
      add(
          FunctionCounter.builder("zproc.processes.reused", stats, ProcessStats::reusedJvms)
              .description("Times a child JVM went back to the spare pool after its task")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.processes.running", stats, ProcessStats::running)
              .description("Processes this context started that have not ended")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.processes.spares.ready", ctx, Introspection::sparesReady)
              .description("Spare JVMs booted, connected and waiting for a task")
              .tags(tags)
              .register(registry));
      add(
          FunctionCounter.builder("zproc.map.items", ctx, c -> c.processMapStats().items())
              .description("Items mapped by this context's processMap calls")
              .tags(tags)
              .register(registry));
      add(
          FunctionCounter.builder("zproc.map.batches", ctx, c -> c.processMapStats().batches())
              .description("Batches of items processMap's workers sent back")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.map.batch.size", ctx, c -> c.processMapStats().lastBatchSize())
              .description(
                  "Items in the last batch that came back: the size batches have now (they size"
                      + " themselves unless MapOptions.chunkSize is set)")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.map.workers", ctx, Introspection::processMapWorkerCount)
              .description("processMap worker JVMs and threads this context holds")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.map.workers.busy", ctx, Introspection::processMapBusyWorkers)
              .description("processMap workers running a batch now")
              .tags(tags)
              .register(registry));
      Map<ProcessStats.Kind, Timer> boots = new EnumMap<>(ProcessStats.Kind.class);
      for (ProcessStats.Kind kind : List.of(ProcessStats.Kind.SPARE, ProcessStats.Kind.JVM)) {
        Timer timer =
            Timer.builder("zproc.processes.start")
                .description("From the fork of a child JVM to its connection to the server")
                .tags(tags)
                .tag("kind", kind.tag())
                .register(registry);
        boots.put(kind, timer);
        add(timer);
      }
      observe(
          stats.observeBoots(
              (kind, nanos) -> {
                Timer timer = boots.get(kind);
                if (timer != null) {
                  timer.record(nanos, TimeUnit.NANOSECONDS);
                }
              }));
    }

    void bindServer(ServerStats stats) {
      add(
          Gauge.builder("zproc.server.connections", stats, ServerStats::connections)
              .description("Connections open to the server, of every transport")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.server.watches", stats, ServerStats::watches)
              .description("Open change streams and waiting when* calls, all namespaces")
              .tags(tags)
              .register(registry));
      add(
          Gauge.builder("zproc.server.namespaces", stats, ServerStats::namespaces)
              .description("Namespaces the server holds")
              .tags(tags)
              .register(registry));
      for (String op : ServerStats.operations()) {
        add(
            FunctionTimer.builder(
                    "zproc.server.requests",
                    stats,
                    st -> st.requests(op),
                    st -> st.requestNanos(op),
                    TimeUnit.NANOSECONDS)
                .description(
                    "Requests served, by operation, and the time spent serving them (for a wait:"
                        + " setting it up); streams are counted when opened")
                .tags(tags)
                .tag("op", op)
                .register(registry));
      }
      add(
          FunctionCounter.builder("zproc.server.atomic.waits", stats, ServerStats::atomicWaits)
              .description("Callers of atomic that waited for the lock")
              .tags(tags)
              .register(registry));
      add(
          FunctionCounter.builder(
                  "zproc.server.atomic.conflicts", stats, ServerStats::atomicConflicts)
              .description("Atomic commits refused because what they read had changed (re-runs)")
              .tags(tags)
              .register(registry));
      add(
          FunctionCounter.builder(
                  "zproc.server.setups.rejected", stats, ServerStats::rejectedSetups)
              .description(
                  "Connections refused at setup: wrong key, over maxConnections, malformed")
              .tags(tags)
              .register(registry));
      // Observe first, then list: a namespace made in between is seen twice, and tagged once.
      // A registry that refuses the gauges must not fail the request that made the namespace.
      observe(
          stats.observeNamespaces(
              name -> {
                try {
                  namespace(stats, name);
                } catch (RuntimeException e) {
                  log.warn(
                      "cannot register the journal gauges of namespace '{}' with {}: {}",
                      name,
                      registry.getClass().getName(),
                      e.toString());
                }
              }));
      for (String name : stats.namespaceNames()) {
        namespace(stats, name);
      }
    }

    /** A namespace seen: its own gauges while under the cap, else the "_other" sum's. */
    private void namespace(ServerStats stats, String name) {
      boolean own;
      boolean other = false;
      synchronized (this) {
        if (closed || tagged.contains(name)) {
          return;
        }
        own = tagged.size() < maxTaggedNamespaces;
        if (own) {
          tagged.add(name);
        } else if (!otherRegistered) {
          otherRegistered = true;
          other = true;
        }
      }
      if (own) {
        journalGauges(stats, name, s -> s.journalChanges(name), s -> s.journalBytes(name));
      } else if (other) {
        journalGauges(stats, OTHER_NAMESPACES, s -> untagged(s, false), s -> untagged(s, true));
      }
    }

    private void journalGauges(
        ServerStats stats,
        String namespace,
        java.util.function.ToDoubleFunction<ServerStats> changes,
        java.util.function.ToDoubleFunction<ServerStats> bytes) {
      add(
          Gauge.builder("zproc.server.journal.changes", stats, changes)
              .description("Changes the namespace's journal keeps")
              .tags(tags)
              .tag("namespace", namespace)
              .register(registry));
      add(
          Gauge.builder("zproc.server.journal.bytes", stats, bytes)
              .description("The estimated size of the namespace's journal")
              .baseUnit(BaseUnits.BYTES)
              .tags(tags)
              .tag("namespace", namespace)
              .register(registry));
    }

    /** The sum over the namespaces without a tag of their own. */
    private double untagged(ServerStats stats, boolean bytes) {
      Set<String> own;
      synchronized (this) {
        own = new HashSet<>(tagged);
      }
      double sum = 0;
      for (String name : stats.namespaceNames()) {
        if (!own.contains(name)) {
          sum += bytes ? stats.journalBytes(name) : stats.journalChanges(name);
        }
      }
      return sum;
    }

    void close() {
      List<Meter> removing;
      List<Runnable> removers;
      synchronized (this) {
        closed = true;
        removing = new ArrayList<>(meters);
        removers = new ArrayList<>(observers);
        meters.clear();
        observers.clear();
      }
      for (Runnable remover : removers) {
        remover.run();
      }
      for (Meter meter : removing) {
        registry.remove(meter);
      }
    }
  }
}
