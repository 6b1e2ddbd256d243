package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zproc.ChangesLostException;
import io.zproc.ServerOptions;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.internal.server.ServerProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Two servers started with one {@code redis://} store serve one state: what is written through one
 * is read, watched, versioned and waited for through the other, and concurrent writes through both
 * lose nothing.
 */
class RedisStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension(false);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private String ns;

  @BeforeEach
  void name(TestInfo info) {
    ns = info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private ZProcServer server() {
    ZProcServer server =
        ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().store(REDIS.uri()));
    opened.add(server);
    return server;
  }

  private State client(ZProcServer server) {
    ZProc ctx =
        ZProc.connect(server.address(), ZProcOptions.defaults().namespace(ns).spareProcesses(0));
    opened.add(ctx);
    return ctx.state();
  }

  @Test
  void namespaces_madeThroughOne_areListedByTheOther_untilDropped() {
    ZProcServer one = server();
    ZProcServer other = server();
    State a = client(one);
    a.namespace(ns + "-b").put("k", 1).block(WAIT);
    a.namespace(ns + "-a").put("k", 1).block(WAIT);
    a.namespace("zproc.internal." + ns).put("k", 1).block(WAIT);
    ZProc far =
        ZProc.connect(other.address(), ZProcOptions.defaults().namespace(ns).spareProcesses(0));
    opened.add(far);
    StepVerifier.create(far.namespaces())
        .assertNext(
            names ->
                assertThat(names.stream().filter(n -> n.contains(ns)).toList())
                    .containsExactly(ns, ns + "-a", ns + "-b"))
        .verifyComplete();
    a.namespace(ns + "-b").drop().block(WAIT);
    StepVerifier.create(far.namespaces())
        .assertNext(
            names ->
                assertThat(names.stream().filter(n -> n.contains(ns)).toList())
                    .containsExactly(ns, ns + "-a"))
        .verifyComplete();
  }

  @Test
  void putThroughOne_isReadThroughTheOther_inInsertionOrder() {
    State a = client(server());
    State b = client(server());
    a.put("x", 1).block(WAIT);
    a.put("y", Map.of("deep", List.of(1, 2))).block(WAIT);
    a.put("z", "three").block(WAIT);
    assertThat(b.get("x").block(WAIT)).isEqualTo(1);
    assertThat(b.get("y").block(WAIT)).isEqualTo(Map.of("deep", List.of(1, 2)));
    Snapshot seen = b.snapshot().block(WAIT);
    assertThat(seen.keySet()).containsExactly("x", "y", "z");
    assertThat(seen.version()).isEqualTo(a.snapshot().block(WAIT).version()).isEqualTo(3);
    // an update keeps a key's place: popItem through either takes the last inserted
    b.put("x", 10).block(WAIT);
    assertThat(a.popItem().block(WAIT)).isEqualTo(Map.entry("z", "three"));
    assertThat(b.popItem().block(WAIT)).isEqualTo(Map.entry("y", Map.of("deep", List.of(1, 2))));
    assertThat(a.snapshot().block(WAIT)).containsExactly(Map.entry("x", 10));
    assertThat(b.size().block(WAIT)).isEqualTo(1);
  }

  @Test
  void changesThroughTheOther_carryTheSameVersions() {
    State a = client(server());
    ZProcServer bServer = server();
    State b = client(bServer);
    a.put("warm", 0).block(WAIT);
    List<StateChange> seen = new CopyOnWriteArrayList<>();
    Disposable stream = b.changes().subscribe(seen::add);
    try {
      // the stream is open once b's server holds its watch: every later write through a shows up
      await().atMost(WAIT).until(() -> ServerProbe.watchCount(bServer, ns) == 1);
      a.putAll(Map.of("k", 1)).block(WAIT);
      a.remove("k").block(WAIT);
      long version = a.snapshot().block(WAIT).version();
      await()
          .atMost(WAIT)
          .until(() -> !seen.isEmpty() && seen.get(seen.size() - 1).version() == version);
      assertThat(seen).extracting(StateChange::version).containsExactly(version - 1, version);
      assertThat(seen.get(0).after()).containsEntry("k", 1);
      StateChange removed = seen.get(1);
      assertThat(removed.before()).containsEntry("k", 1);
      assertThat(removed.after()).isEmpty();
      assertThat(removed.keys()).containsExactly("k");
    } finally {
      stream.dispose();
    }
  }

  @Test
  void whenEqualAndWhenChange_onOne_wakeOnAWriteThroughTheOther() {
    State a = client(server());
    ZProcServer bServer = server();
    State b = client(bServer);
    b.put("go", 0).block(WAIT);
    Mono<Snapshot> equal = b.whenEqual("go", 2).cache();
    Mono<Snapshot> change = b.live().whenChange("go").cache();
    equal.subscribe();
    change.subscribe();
    // both wait on b's server (as they would, were a's writes later)
    await().atMost(WAIT).until(() -> ServerProbe.watchCount(bServer, ns) == 2);
    a.put("go", 1).block(WAIT);
    a.put("go", 2).block(WAIT);
    StepVerifier.create(equal)
        .assertNext(s -> assertThat(s).containsEntry("go", 2))
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(change)
        .assertNext(s -> assertThat(s.get("go")).isIn(1, 2))
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void incrementAndAtomic_fromClientsOfBothServers_loseNoUpdate() {
    ZProcServer one = server();
    ZProcServer two = server();
    List<State> clients = List.of(client(one), client(two), client(one), client(two));
    int each = 50;
    Flux.fromIterable(clients)
        .flatMap(
            s ->
                Flux.range(0, each)
                    .concatMap(
                        i ->
                            s.increment("n", 1)
                                .then(
                                    s.atomic(
                                        m -> {
                                          int v = ((Number) m.getOrDefault("a", 0)).intValue();
                                          m.put("a", v + 1);
                                          return v;
                                        })))
                    .subscribeOn(Schedulers.boundedElastic()))
        .blockLast(Duration.ofMinutes(2));
    int total = clients.size() * each;
    assertThat(clients.get(1).get("n").block(WAIT)).isEqualTo(total);
    assertThat(clients.get(0).get("a").block(WAIT)).isEqualTo(total);
    // one version per change: the namespace saw exactly 2 * total changes
    assertThat(clients.get(3).snapshot().block(WAIT).version()).isEqualTo(2L * total);
  }

  @Test
  void aServerThatRestarts_losesNothing_andAStreamResumesAcrossIt() throws Exception {
    ZProcServer first =
        ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().store(REDIS.uri()));
    String address = first.address();
    ZProc ctx = ZProc.connect(address, ZProcOptions.defaults().namespace(ns).spareProcesses(0));
    opened.add(ctx);
    State s = ctx.state();
    for (int i = 1; i <= 5; i++) {
      s.put("k" + i, i).block(WAIT);
    }
    List<Long> versions = new CopyOnWriteArrayList<>();
    AtomicInteger errors = new AtomicInteger();
    Disposable stream =
        s.changes(2).subscribe(c -> versions.add(c.version()), e -> errors.incrementAndGet());
    try {
      await().atMost(WAIT).until(() -> versions.size() == 3);
      first.close();
      ZProcServer second = ZProcServer.start(address, ServerOptions.defaults().store(REDIS.uri()));
      opened.add(second);
      Snapshot after = s.snapshot().block(WAIT);
      assertThat(after.version()).isEqualTo(5);
      assertThat(after.keySet()).containsExactly("k1", "k2", "k3", "k4", "k5");
      s.put("k6", 6).block(WAIT);
      // the stream resumed on the restarted server: the same history, nothing lost
      await().atMost(WAIT).until(() -> versions.size() == 4);
      assertThat(versions).containsExactly(3L, 4L, 5L, 6L);
      assertThat(errors).hasValue(0);
      // and the journal went through the restart: a new stream resumes from it
      StepVerifier.create(s.changes(1).take(5).map(StateChange::version))
          .expectNext(2L, 3L, 4L, 5L, 6L)
          .expectComplete()
          .verify(WAIT);
    } finally {
      stream.dispose();
    }
  }

  @Test
  void aResumeOlderThanTheJournal_acrossARestart_isToldItsChangesAreLost() {
    ServerOptions small = ServerOptions.defaults().store(REDIS.uri()).journalSize(5);
    ZProcServer first = ZProcServer.start("tcp://127.0.0.1:0", small);
    String address = first.address();
    try (ZProc ctx =
        ZProc.connect(address, ZProcOptions.defaults().namespace(ns).spareProcesses(0))) {
      for (int i = 1; i <= 20; i++) {
        ctx.state().put("n", i).block(WAIT);
      }
    } finally {
      first.close();
    }
    ZProcServer second = ZProcServer.start(address, small);
    opened.add(second);
    State s = client(second);
    assertThat(s.get("n").block(WAIT)).isEqualTo(20);
    // the restarted server loaded the journal's last 5 changes: 16..20
    StepVerifier.create(s.changes(15).take(5).map(StateChange::version))
        .expectNext(16L, 17L, 18L, 19L, 20L)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(s.changes(2))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(ChangesLostException.class)
                    .hasMessageContaining("ServerOptions.journalSize"))
        .verify(WAIT);
  }

  @Test
  void clearAndSet_throughOne_areSeenWholeThroughTheOther() {
    State a = client(server());
    State b = client(server());
    a.putAll(Map.of("p", 1)).block(WAIT);
    a.put("q", 2).block(WAIT);
    b.set(Map.of("r", 3)).block(WAIT);
    assertThat(a.snapshot().block(WAIT)).containsExactly(Map.entry("r", 3));
    a.clear().block(WAIT);
    assertThat(b.snapshot().block(WAIT)).isEmpty();
    assertThat(b.putIfAbsent("r", 4).block(WAIT)).isNull();
    assertThat(a.putIfAbsent("r", 5).block(WAIT)).isEqualTo(4);
  }

  @Test
  void drop_throughOne_endsTheOthersWatchers_andAFreshNamespaceFollows() {
    State a = client(server());
    State b = client(server());
    a.put("x", 1).block(WAIT);
    assertThat(b.get("x").block(WAIT)).isEqualTo(1);
    assertThat(a.drop().block(WAIT)).isTrue();
    assertThat(b.get("x").block(WAIT)).isNull();
    b.put("y", 2).block(WAIT);
    assertThat(a.snapshot().block(WAIT)).containsExactly(Map.entry("y", 2));
  }
}
