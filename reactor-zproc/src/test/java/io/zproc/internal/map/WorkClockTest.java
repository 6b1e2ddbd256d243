package io.zproc.internal.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkClockTest {
  static volatile long sink;

  @Test
  void secondField_schedstatLine_isTheRunQueueWait() throws IOException {
    byte[] line = "5988834 24173762 3\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(WorkClock.secondField(line, line.length)).isEqualTo(24_173_762L);
  }

  @Test
  void secondField_notANumber_isAnIoException() {
    byte[] line = "garbage".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> WorkClock.secondField(line, line.length))
        .isInstanceOf(IOException.class);
  }

  @Test
  void getAsLong_advancesNoMoreThanWallTime() {
    WorkClock clock = new WorkClock();
    clock.getAsLong(); // opens the file
    long wallStart = System.nanoTime();
    long start = clock.getAsLong();
    long x = 0;
    for (int i = 0; i < 1_000_000; i++) {
      x += i ^ (x << 1);
    }
    long end = clock.getAsLong();
    long wallEnd = System.nanoTime();
    assertThat(end - start).isBetween(0L, wallEnd - wallStart);
    sink = x; // keeps the loop
  }
}
