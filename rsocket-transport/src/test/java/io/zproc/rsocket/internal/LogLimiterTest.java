package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void burst_firstLogged_restCountedIntoTheNextOneLogged() {
    LogLimiter limiter = new LogLimiter(10 * SECOND);

    assertThat(limiter.tryAcquire(5 * SECOND)).isEqualTo(1);
    for (int i = 1; i <= 99; i++) {
      assertThat(limiter.tryAcquire(5 * SECOND + i)).as("within the interval").isZero();
    }
    assertThat(limiter.tryAcquire(15 * SECOND)).as("the 99 dropped and this one").isEqualTo(100);
    assertThat(limiter.tryAcquire(15 * SECOND + 1)).isZero();
  }

  @Test
  void atTimeZero_stillRateLimited() {
    LogLimiter limiter = new LogLimiter(10 * SECOND);

    assertThat(limiter.tryAcquire(0)).isEqualTo(1);
    assertThat(limiter.tryAcquire(1)).isZero();
  }

  @Test
  void manyThreadsAtOnce_exactlyOneLogged_noneLost() {
    LogLimiter limiter = new LogLimiter(10 * SECOND);
    ConcurrentLinkedQueue<Long> logged = new ConcurrentLinkedQueue<>();

    IntStream.range(0, 10_000)
        .parallel()
        .forEach(
            i -> {
              long n = limiter.tryAcquire(SECOND);
              if (n > 0) {
                logged.add(n);
              }
            });

    assertThat(logged).hasSize(1);
    assertThat(limiter.tryAcquire(20 * SECOND)).isEqualTo(10_000 - logged.peek() + 1);
  }
}
