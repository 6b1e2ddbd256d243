package io.zproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.ProcessOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.ZProcess;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** {@link ZProcMetrics}: every meter follows what it measures, in a {@link SimpleMeterRegistry}. */
class ZProcMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  private double gauge(String name, String... tags) {
    Gauge gauge = registry.find(name).tags(tags).gauge();
    assertThat(gauge).as(name + " " + String.join(",", tags)).isNotNull();
    return gauge.value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private long timerCount(String name, String... tags) {
    return registry.get(name).tags(tags).timer().count();
  }

  @Test
  void mapMeters_countItemsAndBatches_workersAndBatchSize() {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      assertThat(counter("zproc.map.items")).isZero();
      assertThat(gauge("zproc.map.workers")).isZero();
      MapOptions options = MapOptions.defaults().count(2).backend(Backend.THREAD).chunkSize(10);

      List<Integer> squares =
          ctx.processMap(Flux.range(0, 1000), (Integer x) -> x * x, options)
              .collectList()
              .block(WAIT);

      assertThat(squares).hasSize(1000);
      assertThat(counter("zproc.map.items")).isEqualTo(1000);
      assertThat(counter("zproc.map.batches")).isEqualTo(100);
      assertThat(gauge("zproc.map.batch.size")).isEqualTo(10);
      assertThat(gauge("zproc.map.workers"))
          .as("started as the call needed them")
          .isBetween(1.0, 2.0);
      await().atMost(WAIT).until(() -> gauge("zproc.map.workers.busy"), n -> n == 0);
    }
  }

  @Test
  void serverMeters_countRequestsAtomicWaitsConflictsAndRejectedSetups() throws Exception {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(0));
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      for (int i = 0; i < 5; i++) {
        ctx.state("r").put("x", i).block(WAIT);
      }
      ctx.state("r").get("x").block(WAIT);

      FunctionTimer puts = registry.get("zproc.server.requests").tag("op", "put").functionTimer();
      assertThat(puts.count()).isEqualTo(5);
      assertThat(puts.totalTime(TimeUnit.NANOSECONDS)).isGreaterThan(0);
      assertThat(registry.get("zproc.server.requests").tag("op", "get").functionTimer().count())
          .isEqualTo(1);

      // two atomics at once on one namespace: one waits for the other's lock, and the one whose
      // read changed under it re-runs at least once
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      State state = ctx.state("r");
      var first =
          CompletableFuture.supplyAsync(
              () ->
                  state
                      .atomic(
                          s -> {
                            inside.countDown();
                            release.await();
                            return s.put("x", 100);
                          })
                      .block(WAIT));
      assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();
      var second =
          CompletableFuture.supplyAsync(() -> state.atomic(s -> s.put("y", 1)).block(WAIT));
      await().atMost(WAIT).until(() -> counter("zproc.server.atomic.waits") >= 1);
      state.put("x", -1).block(WAIT); // changes what the first read
      release.countDown();
      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
      assertThat(counter("zproc.server.atomic.conflicts")).isGreaterThanOrEqualTo(1);

      assertThat(counter("zproc.server.setups.rejected")).isZero();
      assertThatThrownBy(
              () ->
                  ZProc.connect(
                          ctx.address(),
                          ZProcOptions.defaults().secretKey("wrong").directPath(false))
                      .close())
          .isInstanceOf(ZProcException.class);
      assertThat(counter("zproc.server.setups.rejected")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void serverMeters_followConnectionsWatchesNamespacesAndJournals() {
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      ctx.state("a").put("x", 1).block(WAIT);
      ctx.state("a").put("x", 2).block(WAIT);
      ctx.state("a").put("y", "a longer value than the other namespace's").block(WAIT);
      ctx.state("b").put("x", 1).block(WAIT);

      assertThat(gauge("zproc.server.namespaces")).isGreaterThanOrEqualTo(2);
      assertThat(gauge("zproc.server.journal.changes", "namespace", "a")).isEqualTo(3);
      assertThat(gauge("zproc.server.journal.changes", "namespace", "b")).isEqualTo(1);
      assertThat(gauge("zproc.server.journal.bytes", "namespace", "a"))
          .isGreaterThan(gauge("zproc.server.journal.bytes", "namespace", "b"))
          .isGreaterThan(0);
      assertThat(registry.get("zproc.server.journal.bytes").gauge().getId().getBaseUnit())
          .isEqualTo("bytes");

      double before = gauge("zproc.server.connections");
      assertThat(before).isGreaterThanOrEqualTo(1); // the context's own
      ZProc other = ZProc.connect(ctx.address());
      await().atMost(WAIT).until(() -> gauge("zproc.server.connections"), n -> n == before + 1);
      other.close();
      await().atMost(WAIT).until(() -> gauge("zproc.server.connections"), n -> n == before);

      assertThat(gauge("zproc.server.watches")).isZero();
      Disposable watching = ctx.state("a").changes().subscribe();
      await().atMost(WAIT).until(() -> gauge("zproc.server.watches"), n -> n == 1);
      watching.dispose();
      await().atMost(WAIT).until(() -> gauge("zproc.server.watches"), n -> n == 0);
    }
  }

  @Test
  void namespaceMadeAfterBinding_getsItsGauges() {
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      assertThat(registry.find("zproc.server.journal.changes").tags("namespace", "late").gauge())
          .isNull();
      ctx.state("late").put("k", "v").block(WAIT);
      assertThat(gauge("zproc.server.journal.changes", "namespace", "late")).isEqualTo(1);
    }
  }

  @Test
  void registryRefusingAGauge_theRequestThatMadeTheNamespaceStillWorks() {
    MeterRegistry refusing = new SimpleMeterRegistry();
    refusing
        .config()
        .meterFilter(
            new io.micrometer.core.instrument.config.MeterFilter() {
              @Override
              public io.micrometer.core.instrument.Meter.Id map(
                  io.micrometer.core.instrument.Meter.Id id) {
                if ("refused".equals(id.getTag("namespace"))) {
                  throw new IllegalStateException("this registry refuses namespace 'refused'");
                }
                return id;
              }
            });
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(refusing);
      ctx.state("refused").put("k", 1).block(WAIT);
      assertThat(ctx.state("refused").get("k").block(WAIT)).isEqualTo(1);
      ctx.state("accepted").put("k", 1).block(WAIT);
      assertThat(
              refusing
                  .get("zproc.server.journal.changes")
                  .tags("namespace", "accepted")
                  .gauge()
                  .value())
          .isEqualTo(1);
    } finally {
      refusing.close();
    }
  }

  @Test
  void namespacesBeyondTheCap_addUpUnderOther() {
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx, Tags.of("app", "cap"), 2)) {
      metrics.bindTo(registry);
      for (int i = 1; i <= 4; i++) {
        for (int j = 0; j < i; j++) {
          ctx.state("n" + i).put("k" + j, j).block(WAIT);
        }
      }
      Set<String> tagged =
          registry.find("zproc.server.journal.changes").gauges().stream()
              .map(g -> g.getId().getTag("namespace"))
              .collect(Collectors.toSet());
      assertThat(tagged).hasSize(3).contains(ZProcMetrics.OTHER_NAMESPACES);
      double own = 0;
      for (String ns : tagged) {
        if (!ns.equals(ZProcMetrics.OTHER_NAMESPACES)) {
          own += gauge("zproc.server.journal.changes", "namespace", ns);
        }
      }
      // n1..n4 hold 1 + 2 + 3 + 4 changes; what the two own tags do not show, _other does
      assertThat(own + gauge("zproc.server.journal.changes", "namespace", "_other")).isEqualTo(10);
      assertThat(gauge("zproc.server.journal.bytes", "namespace", "_other")).isGreaterThan(0);
      assertThat(registry.get("zproc.server.namespaces").gauge().getId().getTag("app"))
          .isEqualTo("cap");
    }
  }

  @Test
  void connectedContext_hasProcessMetersOnly() {
    try (ZProc server = ZProc.start();
        ZProc ctx = ZProc.connect(server.address());
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      assertThat(registry.find("zproc.processes.running").gauge()).isNotNull();
      assertThat(registry.find("zproc.server.connections").gauge()).isNull();
    }
  }

  @Test
  void standaloneServer_hasServerMeters() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0");
        ZProcMetrics metrics = new ZProcMetrics(server)) {
      metrics.bindTo(registry);
      assertThat(gauge("zproc.server.connections")).isZero();
      assertThat(registry.find("zproc.processes.running").gauge()).isNull();
    }
  }

  @Test
  void threadProcess_countedAndRunningUntilItEnds() {
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      assertThat(gauge("zproc.processes.running")).isZero();
      ZProcess<Integer> p =
          ctx.process(
              state -> {
                state.whenAvailable("go").block();
                return 1;
              },
              ProcessOptions.defaults().backend(Backend.THREAD));
      assertThat(counter("zproc.processes.started", "kind", "thread")).isEqualTo(1);
      assertThat(counter("zproc.processes.started", "kind", "jvm")).isZero();
      assertThat(gauge("zproc.processes.running")).isEqualTo(1);
      ctx.state().put("go", true).block(WAIT);
      assertThat(p.result().block(WAIT)).isEqualTo(1);
      await().atMost(WAIT).until(() -> gauge("zproc.processes.running"), n -> n == 0);
    }
  }

  @Test
  void jvmProcesses_bootsTimedAndSparesCounted() {
    try (ZProc ctx = ZProc.start(ZProcOptions.defaults().spareProcesses(1));
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      assertThat(timerCount("zproc.processes.start", "kind", "jvm")).isZero();
      // no spare is ready yet: this one boots a JVM of its own (fresh: its JVM ends with it)
      assertThat(ctx.process(state -> 1, ProcessOptions.defaults().freshJvm()).result().block(WAIT))
          .isEqualTo(1);
      assertThat(counter("zproc.processes.reused")).isZero();
      assertThat(counter("zproc.processes.started", "kind", "jvm")).isEqualTo(1);
      assertThat(timerCount("zproc.processes.start", "kind", "jvm")).isEqualTo(1);
      assertThat(
              registry
                  .get("zproc.processes.start")
                  .tags("kind", "jvm")
                  .timer()
                  .max(java.util.concurrent.TimeUnit.NANOSECONDS))
          .isGreaterThan(0);
      // then the pool boots spares in the background
      await().atMost(WAIT).until(() -> gauge("zproc.processes.spares.ready"), n -> n >= 1);
      assertThat(timerCount("zproc.processes.start", "kind", "spare")).isGreaterThanOrEqualTo(1);
      assertThat(ctx.process(state -> 2).result().block(WAIT)).isEqualTo(2);
      assertThat(counter("zproc.processes.started", "kind", "spare")).isEqualTo(1);
      // that spare's JVM returned its value and went back to the pool
      assertThat(counter("zproc.processes.reused")).isEqualTo(1);
      await().atMost(WAIT).until(() -> gauge("zproc.processes.running"), n -> n == 0);
    }
  }

  @Test
  void bindTwiceToOneRegistry_bootsRecordedOnce() {
    try (ZProc ctx = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(ctx)) {
      metrics.bindTo(registry);
      metrics.bindTo(registry);
      assertThat(ctx.process(state -> 1).result().block(WAIT)).isEqualTo(1);
      assertThat(timerCount("zproc.processes.start", "kind", "jvm")).isEqualTo(1);
    }
  }

  @Test
  void twoRegistries_bothGetTheMeters_closeEmptiesBoth() {
    MeterRegistry other = new SimpleMeterRegistry();
    try (ZProc ctx = ZProc.start()) {
      ZProcMetrics metrics = new ZProcMetrics(ctx);
      metrics.bindTo(registry);
      metrics.bindTo(other);
      assertThat(other.get("zproc.server.connections").gauge().value())
          .isEqualTo(gauge("zproc.server.connections"));
      metrics.close();
      assertThat(zprocMeters()).isEmpty();
      assertThat(other.find("zproc.server.connections").gauge()).isNull();
    } finally {
      other.close();
    }
  }

  @Test
  void close_removesTheMeters_andStopsObserving() {
    try (ZProc ctx = ZProc.start()) {
      ZProcMetrics metrics = new ZProcMetrics(ctx);
      metrics.bindTo(registry);
      assertThat(zprocMeters()).isNotEmpty();
      metrics.close();
      assertThat(zprocMeters()).isEmpty();
      ctx.state("after-close").put("k", 1).block(WAIT);
      assertThat(zprocMeters()).isEmpty();
      metrics.close(); // idempotent
      assertThatThrownBy(() -> metrics.bindTo(registry))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void sameTagsAfterClose_theNewContextsMetersWin() {
    try (ZProc first = ZProc.start()) {
      ZProcMetrics metrics = new ZProcMetrics(first);
      metrics.bindTo(registry);
      metrics.close();
    }
    try (ZProc second = ZProc.start();
        ZProcMetrics metrics = new ZProcMetrics(second)) {
      metrics.bindTo(registry);
      second.state("second").put("k", 1).block(WAIT);
      assertThat(gauge("zproc.server.journal.changes", "namespace", "second")).isEqualTo(1);
      assertThat(gauge("zproc.server.connections")).isGreaterThanOrEqualTo(1);
    }
  }

  private java.util.List<Meter> zprocMeters() {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("zproc."))
        .collect(Collectors.toList());
  }

  @Test
  void negativeCap_refused() {
    try (ZProc ctx = ZProc.start()) {
      assertThatThrownBy(() -> new ZProcMetrics(ctx, Tags.empty(), -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxTaggedNamespaces must be >= 0, got -1");
    }
  }

  @Test
  void notTheLibrarysContext_refused() {
    ZProc fake =
        (ZProc)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ZProc.class},
                (proxy, method, args) -> null);
    assertThatThrownBy(() -> new ZProcMetrics(fake))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ZProc.start()");
    ZProcServer fakeServer =
        (ZProcServer)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ZProcServer.class},
                (proxy, method, args) -> null);
    assertThatThrownBy(() -> new ZProcMetrics(fakeServer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ZProcServer.start()");
  }
}
