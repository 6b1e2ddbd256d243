package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/**
 * NaN and the infinities are values like any other, in the server's JVM and over a socket: stored,
 * read back, journaled (one change each, versions without gaps), watched. Before the fix the
 * journal's equality check threw on them after the write had happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonFiniteNumbersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private ZProc ctx;

  @BeforeAll
  void start() {
    ctx = ZProc.start(ZProcOptions.defaults().namespace("non-finite"));
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void nanAndInfinities_storedJournaledAndWatched(boolean direct) {
    try (ZProc client =
        ZProc.connect(
            ctx.address(),
            ZProcOptions.defaults().namespace("non-finite-" + direct).directPath(direct))) {
      State state = client.state();
      long start = state.snapshot().block(WAIT).version();
      state.put("x", Double.NaN).block(WAIT);
      state.put("x", Double.NaN).block(WAIT); // an identical change
      state.put("x", Double.POSITIVE_INFINITY).block(WAIT);
      state.put("x", new java.math.BigDecimal("1e400")).block(WAIT); // beside an infinity
      state.put("x", Double.NEGATIVE_INFINITY).block(WAIT);
      state.put("y", 1.5).block(WAIT);
      assertThat(state.get("x").block(WAIT)).isEqualTo(Double.NEGATIVE_INFINITY);
      List<StateChange> changes = state.changes(start).take(6).collectList().block(WAIT);
      assertThat(changes.stream().map(StateChange::version).collect(Collectors.toList()))
          .containsExactly(start + 1, start + 2, start + 3, start + 4, start + 5, start + 6);
      assertThat(changes.get(1).identical()).isTrue();
      assertThat(changes.get(2).identical()).isFalse();
      assertThat((Double) changes.get(0).after().get("x")).isNaN();
      // a watcher of a non-finite value
      StepVerifier.create(state.whenEqual("x", Double.NEGATIVE_INFINITY))
          .assertNext(s -> assertThat(s.get("x")).isEqualTo(Double.NEGATIVE_INFINITY))
          .expectComplete()
          .verify(WAIT);
      assertThat(state.snapshot().block(WAIT).version()).isEqualTo(start + 6);
    }
  }
}
