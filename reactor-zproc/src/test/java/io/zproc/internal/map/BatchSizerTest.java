package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchSizerTest {
  @Test
  void adaptive_startsAtOne() {
    assertThat(BatchSizer.adaptive(16_384).size()).isEqualTo(1);
  }

  @Test
  void measured_cheapFullBatches_doubleUpToTheMax() {
    BatchSizer sizer = BatchSizer.adaptive(1024);
    int expected = 1;
    for (int i = 0; i < 10; i++) {
      sizer.measured(sizer.size(), 10L * sizer.size()); // 10 ns an item
      expected *= 2;
      assertThat(sizer.size()).isEqualTo(Math.min(1024, expected));
    }
    sizer.measured(1024, 10_240);
    assertThat(sizer.size()).isEqualTo(1024);
  }

  @Test
  void measured_growthStopsWhereTheTargetTimeIsFilled() {
    BatchSizer sizer = BatchSizer.adaptive(1 << 16);
    for (int i = 0; i < 30; i++) {
      sizer.measured(sizer.size(), 10_000L * sizer.size()); // 10 µs an item
    }
    // 1.5 ms / 10 µs = 150 items; doubling stops once a batch takes 1 ms or more
    assertThat(sizer.size()).isBetween(100, 150);
    int settled = sizer.size();
    sizer.measured(settled, 10_000L * settled);
    assertThat(sizer.size()).isEqualTo(settled);
  }

  @Test
  void measured_partlyFilledCheapBatch_doesNotGrow() {
    BatchSizer sizer = BatchSizer.adaptive(1024);
    for (int i = 0; i < 5; i++) {
      sizer.measured(sizer.size(), 0);
    }
    assertThat(sizer.size()).isEqualTo(32);
    sizer.measured(3, 30); // a slow source's leftovers say nothing of the cost per item
    assertThat(sizer.size()).isEqualTo(32);
  }

  @Test
  void measured_expensiveItems_shrinkAtOnceToTheTarget() {
    BatchSizer sizer = BatchSizer.adaptive(1 << 16);
    for (int i = 0; i < 16; i++) {
      sizer.measured(sizer.size(), 20L * sizer.size());
    }
    assertThat(sizer.size()).isEqualTo(1 << 16);
    sizer.measured(1 << 16, 500_000L * (1 << 16)); // items now take 0.5 ms each
    assertThat(sizer.size()).isEqualTo(3);
    sizer.measured(3, 3 * 5_000_000L); // 5 ms each: one at a time
    assertThat(sizer.size()).isEqualTo(1);
  }

  @Test
  void measured_oneBatchALittleOver_isNoise_twoInARowShrink() {
    BatchSizer sizer = BatchSizer.adaptive(1 << 14);
    for (int i = 0; i < 14; i++) {
      sizer.measured(sizer.size(), 20L * sizer.size());
    }
    assertThat(sizer.size()).isEqualTo(1 << 14);
    sizer.measured(1 << 14, 3_400_000); // descheduled once
    assertThat(sizer.size()).isEqualTo(1 << 14);
    sizer.measured(1 << 14, 200_000);
    sizer.measured(1 << 14, 3_000_000);
    assertThat(sizer.size()).isEqualTo(1 << 14);
    sizer.measured(1 << 14, 3_000_000); // a second one in a row: items cost more now
    // 3 ms / 16384 = 183 ns an item; 1.5 ms holds 8196 of them
    assertThat(sizer.size()).isEqualTo(8196);
  }

  @Test
  void measured_betweenLowAndHigh_keepsTheSize() {
    BatchSizer sizer = BatchSizer.adaptive(1 << 16);
    for (int i = 0; i < 7; i++) {
      sizer.measured(sizer.size(), 0);
    }
    assertThat(sizer.size()).isEqualTo(128);
    sizer.measured(128, 1_500_000);
    assertThat(sizer.size()).isEqualTo(128);
  }

  @Test
  void idle_slowBatches_halveButNotBelowOne() {
    BatchSizer sizer = BatchSizer.adaptive(1024);
    for (int i = 0; i < 4; i++) {
      sizer.measured(sizer.size(), 0);
    }
    assertThat(sizer.size()).isEqualTo(16);
    sizer.measured(16, 1_500_000); // 1.5 ms a batch: worth splitting
    sizer.idle();
    assertThat(sizer.size()).isEqualTo(8);
    for (int i = 0; i < 5; i++) {
      sizer.idle();
    }
    assertThat(sizer.size()).isEqualTo(1);
  }

  @Test
  void idle_shortBatches_keepTheSize() {
    BatchSizer sizer = BatchSizer.adaptive(1 << 14);
    for (int i = 0; i < 14; i++) {
      sizer.measured(sizer.size(), 20L * sizer.size());
    }
    sizer.idle(); // a 0.3 ms batch: the idle worker waits for the read-ahead, not for the size
    assertThat(sizer.size()).isEqualTo(1 << 14);
  }

  @Test
  void fixed_ignoresMeasurementsAndIdling() {
    BatchSizer sizer = BatchSizer.fixed(64);
    sizer.measured(64, 1);
    sizer.measured(64, 100_000_000);
    sizer.idle();
    assertThat(sizer.size()).isEqualTo(64);
  }

  @Test
  void adaptive_maxBelowOne_isRefused() {
    assertThatThrownBy(() -> BatchSizer.adaptive(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max must be >= 1, got 0");
  }
}
