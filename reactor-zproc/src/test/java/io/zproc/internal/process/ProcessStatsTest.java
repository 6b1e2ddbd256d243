package io.zproc.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProcessStats}: counts by kind, running, and boot observers. */
class ProcessStatsTest {

  @Test
  void startAndEnd_countByKind_runningFollows() {
    ProcessStats stats = new ProcessStats();
    stats.start(ProcessStats.Kind.SPARE);
    stats.start(ProcessStats.Kind.THREAD);
    stats.start(ProcessStats.Kind.THREAD);
    assertThat(stats.started(ProcessStats.Kind.SPARE)).isEqualTo(1);
    assertThat(stats.started(ProcessStats.Kind.JVM)).isZero();
    assertThat(stats.started(ProcessStats.Kind.THREAD)).isEqualTo(2);
    assertThat(stats.running()).isEqualTo(3);
    stats.ended();
    assertThat(stats.running()).isEqualTo(2);
    assertThat(stats.started(ProcessStats.Kind.THREAD)).isEqualTo(2);
  }

  @Test
  void observerThatThrows_theOthersStillTold() {
    ProcessStats stats = new ProcessStats();
    List<Long> told = new ArrayList<>();
    stats.observeBoots(
        (kind, nanos) -> {
          throw new IllegalStateException("broken observer");
        });
    stats.observeBoots((kind, nanos) -> told.add(nanos));
    stats.booted(ProcessStats.Kind.JVM, 42);
    assertThat(told).containsExactly(42L);
  }

  @Test
  void removedObserver_notToldAgain() {
    ProcessStats stats = new ProcessStats();
    List<ProcessStats.Kind> told = new ArrayList<>();
    Runnable remove = stats.observeBoots((kind, nanos) -> told.add(kind));
    stats.booted(ProcessStats.Kind.SPARE, 1);
    remove.run();
    remove.run(); // idempotent
    stats.booted(ProcessStats.Kind.SPARE, 2);
    assertThat(told).containsExactly(ProcessStats.Kind.SPARE);
  }

  @Test
  void kindTags_areTheDocumentedNames() {
    assertThat(ProcessStats.Kind.SPARE.tag()).isEqualTo("spare");
    assertThat(ProcessStats.Kind.JVM.tag()).isEqualTo("jvm");
    assertThat(ProcessStats.Kind.THREAD.tag()).isEqualTo("thread");
  }
}
