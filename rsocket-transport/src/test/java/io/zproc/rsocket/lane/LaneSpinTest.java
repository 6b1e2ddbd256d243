package io.zproc.rsocket.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The lane loop's select strategy: it polls only in the window after a hand-off, and stops polling
 * for a while when windows keep passing without a frame.
 */
class LaneSpinTest {
  private static final long WINDOW = 100_000;

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger polls = new AtomicInteger();
  private final IntSupplier selectNow =
      () -> {
        polls.incrementAndGet();
        return ready.get();
      };
  private final LaneSpin spin = new LaneSpin(WINDOW, now::get);

  private int strategy() throws Exception {
    return spin.calculateStrategy(selectNow, false);
  }

  @Test
  void withoutAHandOff_sleepsInSelect_orPollsOnlyForTasks() throws Exception {
    assertThat(strategy()).isEqualTo(SelectStrategy.SELECT);
    assertThat(polls).hasValue(0);
    ready.set(2);
    assertThat(spin.calculateStrategy(selectNow, true)).isEqualTo(2);
  }

  @Test
  void afterAHandOff_pollsUntilTheWindowEnds() throws Exception {
    spin.handedOff();

    assertThat(strategy()).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(WINDOW / 2);
    ready.set(1);
    assertThat(strategy()).as("a frame came while polling").isEqualTo(1);
    ready.set(0);
    assertThat(strategy()).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(WINDOW / 2);
    assertThat(strategy()).as("the window is over").isEqualTo(SelectStrategy.SELECT);
  }

  @Test
  void aHandOffWhileTheWindowIsOpen_extendsIt() throws Exception {
    spin.handedOff();
    assertThat(strategy()).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(WINDOW - 1);
    spin.handedOff();
    assertThat(strategy()).isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(WINDOW - 1);
    assertThat(strategy()).as("past the first window's end").isEqualTo(SelectStrategy.CONTINUE);
    ready.set(1);
    assertThat(strategy()).isEqualTo(1);
  }

  @Test
  void windowsWithoutFrames_skipTheNextOnes_upTo63() throws Exception {
    List<Integer> skippedAfterEachMiss = new ArrayList<>();
    assertThat(window(false)).as("the first window polls").isTrue();
    for (int miss = 0; miss < 7; miss++) {
      int skipped = 0;
      while (!window(false)) {
        skipped++;
      }
      skippedAfterEachMiss.add(skipped);
    }
    assertThat(skippedAfterEachMiss).containsExactly(1, 3, 7, 15, 31, 63, 63);
  }

  @Test
  void aWindowWithAFrame_startsTheCountOver() throws Exception {
    assertThat(window(false)).isTrue();
    assertThat(window(false)).as("skipped after 1 miss").isFalse();
    assertThat(window(false)).isTrue();
    for (int i = 0; i < 3; i++) {
      assertThat(window(false)).as("skipped after 2 misses").isFalse();
    }
    assertThat(window(true)).as("polls, and sees a frame").isTrue();
    assertThat(window(true)).as("a frame: no window skipped").isTrue();
    assertThat(window(false)).isTrue();
    assertThat(window(false)).as("one window skipped after a single miss").isFalse();
    assertThat(window(false)).isTrue();
  }

  @Test
  void pollingOnANonBlockingThread_isNotABlockingCall() {
    // BlockHound runs in this JVM: an error here would end a real event loop's thread.
    LaneSpin real = new LaneSpin(WINDOW, System::nanoTime);
    Integer strategy =
        Mono.fromCallable(
                () -> {
                  real.handedOff();
                  int last = SelectStrategy.CONTINUE;
                  for (int i = 0; i < 1000 && last == SelectStrategy.CONTINUE; i++) {
                    last = real.calculateStrategy(selectNow, false);
                  }
                  return last;
                })
            .subscribeOn(Schedulers.parallel())
            .block(Duration.ofSeconds(10));
    assertThat(strategy).isIn(SelectStrategy.CONTINUE, SelectStrategy.SELECT);
    assertThat(polls.get()).isPositive();
  }

  @Test
  void aZeroWindow_neverPolls() throws Exception {
    LaneSpin off = new LaneSpin(0, now::get);
    off.handedOff();
    assertThat(off.enabled()).isFalse();
    assertThat(off.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(polls).hasValue(0);
  }

  /**
   * Opens a window and lets it pass, with a frame in it or not.
   *
   * @return whether the loop polled in it (false: the window was skipped)
   */
  private boolean window(boolean frame) throws Exception {
    spin.handedOff();
    int before = polls.get();
    ready.set(0);
    int first = strategy();
    if (first == SelectStrategy.SELECT) {
      assertThat(polls.get()).isEqualTo(before);
      now.addAndGet(WINDOW);
      return false;
    }
    assertThat(first).isEqualTo(SelectStrategy.CONTINUE);
    if (frame) {
      ready.set(1);
      assertThat(strategy()).isEqualTo(1);
      ready.set(0);
    }
    now.addAndGet(WINDOW);
    assertThat(strategy()).isEqualTo(SelectStrategy.SELECT);
    return true;
  }
}
