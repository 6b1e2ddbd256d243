package io.zproc.internal.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** What a task may leave behind in a JVM that is to run another task, and what it may not. */
class TaskScopeTest {
  /** The test JVM is larger than a child: its size is not what these tests are about. */
  private static final long ANY_SIZE = Long.MAX_VALUE;

  @Test
  void nothingLeftBehind_reusable() {
    TaskScope scope = TaskScope.before();
    assertThat(scope.whyNotReusable(ANY_SIZE)).isNull();
  }

  @Test
  void aDaemonThreadLeftRunning_reusable_aNonDaemonOne_not() throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    TaskScope scope = TaskScope.before();
    Thread daemon = new Thread(() -> await(stop), "left-daemon");
    daemon.setDaemon(true);
    daemon.start();
    assertThat(scope.whyNotReusable(ANY_SIZE)).isNull();
    Thread user = new Thread(() -> await(stop), "left-running");
    user.start();
    try {
      assertThat(scope.whyNotReusable(ANY_SIZE)).contains("left-running");
    } finally {
      stop.countDown();
      user.join();
      daemon.join();
    }
    assertThat(scope.whyNotReusable(ANY_SIZE)).as("the thread has ended").isNull();
  }

  @Test
  void aChangedSystemProperty_notReusable() {
    TaskScope scope = TaskScope.before();
    System.setProperty("zproc.test.taskScope", "set");
    try {
      assertThat(scope.whyNotReusable(ANY_SIZE)).contains("system properties");
    } finally {
      System.clearProperty("zproc.test.taskScope");
    }
    assertThat(scope.whyNotReusable(ANY_SIZE)).isNull();
  }

  @Test
  void aReplacedSystemOut_notReusable() {
    TaskScope scope = TaskScope.before();
    PrintStream out = System.out;
    System.setOut(new PrintStream(out, true));
    try {
      assertThat(scope.whyNotReusable(ANY_SIZE)).contains("System.out");
    } finally {
      System.setOut(out);
    }
    assertThat(scope.whyNotReusable(ANY_SIZE)).isNull();
  }

  @Test
  void aJvmLargerThanTheLimit_notReusable() {
    assertThat(TaskScope.before().whyNotReusable(1L << 20)).contains("resident size");
  }

  @Test
  void residentSize_isReadAndPlausible() {
    long resident = TaskScope.residentBytes();
    Runtime runtime = Runtime.getRuntime();
    assertThat(resident).isGreaterThan(runtime.totalMemory() - runtime.freeMemory() - 1);
    assertThat(resident).isLessThan(64L << 30);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
