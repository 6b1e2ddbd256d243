package io.zproc.rsocket.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the leak recorder itself. The deliberate leaks are drained by their unique hint, so they
 * do not fail this class in {@link LeakDetectionExtension}.
 */
class LeakRecorderTest {
  private ResourceLeakDetector.Level level;

  @BeforeEach
  void paranoid() {
    // Hints are recorded only at the advanced and paranoid levels; the build runs paranoid.
    level = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  @AfterEach
  void restore() {
    ResourceLeakDetector.setLevel(level);
  }

  @Test
  void install_beforeAnyTest_factoryMadeTheByteBufDetector() {
    assertThat(LeakRecorder.install()).isEqualTo(LeakRecorder.Mode.FACTORY);
    assertThat(LeakRecorder.recordsByteBufLeaks()).isTrue();
  }

  @Test
  void triggerDetection_leakedPooledDirectBuffer_isRecorded() {
    String marker = "deliberate-leak-" + UUID.randomUUID();
    leak(PooledByteBufAllocator.DEFAULT.directBuffer(32), marker);

    List<LeakRecorder.Leak> found = awaitLeak(marker);

    assertThat(found).hasSize(1);
    assertThat(found.get(0).resourceType()).isEqualTo("ByteBuf");
    assertThat(found.get(0).records()).contains(marker).contains("LeakRecorderTest");
  }

  @Test
  void triggerDetection_leakedPooledHeapBuffer_isRecorded() {
    String marker = "deliberate-leak-" + UUID.randomUUID();
    // Unpooled heap buffers are not tracked at all: the GC reclaims them, they cannot leak.
    leak(PooledByteBufAllocator.DEFAULT.heapBuffer(16), marker);

    assertThat(awaitLeak(marker)).hasSize(1);
  }

  @Test
  void triggerDetection_releasedBuffer_recordsNothing() {
    String marker = "released-" + UUID.randomUUID();
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(32).touch(marker);
    buffer.release();

    LeakRecorder.triggerDetection();

    assertThat(LeakRecorder.leaks()).noneMatch(leak -> leak.records().contains(marker));
  }

  /** Drops the last reference in a frame of its own, so nothing on this stack keeps it alive. */
  private static void leak(ByteBuf buffer, String marker) {
    buffer.touch(marker).writeLong(42);
  }

  private static List<LeakRecorder.Leak> awaitLeak(String marker) {
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              LeakRecorder.triggerDetection();
              return LeakRecorder.leaks().stream().anyMatch(l -> l.records().contains(marker));
            });
    return LeakRecorder.drain(leak -> leak.records().contains(marker));
  }
}
