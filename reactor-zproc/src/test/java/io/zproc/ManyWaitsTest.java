package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * One change releases thousands of waits of one connection at once: every wait gets the state it
 * was released by, on the in-JVM path (replies moved off the writer's thread in batches) and over
 * the unix socket (late replies written in batches, one encoding for the shared tree).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManyWaitsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WAITS = 3_000;

  private ZProcServer server;
  private ZProc writer;
  private int namespaces;

  @BeforeAll
  void start() {
    server = ZProcServer.start("tcp://127.0.0.1:0");
    writer = ZProc.connect(server.address(), ZProcOptions.defaults().spareProcesses(0));
  }

  @AfterAll
  void stop() {
    writer.close();
    server.close();
  }

  @ParameterizedTest(name = "direct path: {0}")
  @ValueSource(booleans = {true, false})
  void onePut_releasesEveryWait_eachWithTheReleasingState(boolean direct) {
    String ns = "many-" + (++namespaces);
    try (ZProc watcherCtx =
        ZProc.connect(
            server.address(), ZProcOptions.defaults().spareProcesses(0).directPath(direct))) {
      State watcher = watcherCtx.state(ns);
      State state = writer.state(ns);
      state.put("other", "x").block(WAIT);
      List<Mono<Snapshot>> waits = new ArrayList<>();
      for (int i = 0; i < WAITS; i++) {
        waits.add(watcher.whenEqual("go", 1).cache());
        waits.get(i).subscribe(s -> {}, e -> {});
      }
      // every wait is registered once a wait made after them all is: the server answers in order
      Mono<Snapshot> probe = watcher.whenEqual("probe", 1).cache();
      probe.subscribe(s -> {}, e -> {});
      state.put("probe", 1).block(WAIT);
      probe.block(WAIT);

      state.put("go", 1).block(WAIT);
      StepVerifier.create(Flux.merge(waits).map(s -> s.get("go") + "/" + s.get("other")))
          .expectNextCount(WAITS)
          .expectComplete()
          .verify(WAIT);
      for (Mono<Snapshot> wait : waits) {
        Snapshot s = wait.block(WAIT);
        assertThat(s.get("go")).isEqualTo(1);
        assertThat(s.get("probe")).isEqualTo(1);
        assertThat(s.get("other")).isEqualTo("x");
      }
    }
  }
}
