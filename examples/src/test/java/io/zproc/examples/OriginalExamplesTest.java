package io.zproc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ZProc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs each of the original's examples on one shared context (child JVMs are slow to start on a
 * small machine) and checks what it prints; {@link #stateWatchers_main} runs a main as a user
 * would, with a server of its own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OriginalExamplesTest {
  private static ZProc ctx;

  @BeforeAll
  static void startContext() {
    ctx = ZProc.start();
  }

  @AfterAll
  static void closeContext() {
    ctx.close(); // stops every child and worker JVM the examples started
  }

  /** A main-like body, run with {@code System.out} captured. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** Runs a body with {@code System.out} captured (child JVMs' output included) and returns it. */
  private static String run(Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out); // kept in the test report
    return out;
  }

  private static int count(String text, String line) {
    int n = 0;
    for (int i = text.indexOf(line); i >= 0; i = text.indexOf(line, i + line.length())) {
      n++;
    }
    return n;
  }

  private static List<Long> numbers(String text, String prefixRegex) {
    List<Long> found = new ArrayList<>();
    Matcher m = Pattern.compile(prefixRegex + "(\\d+)").matcher(text);
    while (m.find()) {
      found.add(Long.parseLong(m.group(1)));
    }
    return found;
  }

  private static int intAfter(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("output matches %s", regex).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void atomicity_getPutLosesUpdates_atomicLosesNone() throws Exception {
    String out = run(() -> Atomicity.run(ctx));
    assertThat(out)
        .contains("3 processes are ready; each increments 20 times")
        .contains("atomic:     safe = 60 of 60 (0 lost)");
    assertThat(intAfter(out, "get \\+ put:  unsafe = (\\d+) of 60")).isBetween(1, 59);
    assertThat(intAfter(out, "the atomic tasks ran (\\d+) times for 60 commits"))
        .isGreaterThanOrEqualTo(60);
  }

  @Test
  void chainReaction_eachChildWakesTheNext() throws Exception {
    String out = run(() -> ChainReaction.run(ctx));
    assertThat(out)
        .contains("main: I set foo to foobar")
        .contains("child1: foo changed, so I wake, now foo = foobar")
        .contains("child1: I set foo to bar")
        .contains("child2: foo changed to bar, so I wake")
        .contains("main: child1 woke to foo = foobar")
        .contains("main: child2 woke to foo = bar")
        .contains("main: foo is now bar");
  }

  @Test
  void cookieEater_eatsEveryCookie_notWokenByItsOwnBites() throws Exception {
    String out = run(() -> CookieEater.run(ctx));
    assertThat(count(out, "[baker] Here's a cookie!")).isEqualTo(5);
    assertThat(count(out, "[eater] nom nom nom")).isEqualTo(5);
    assertThat(out)
        .contains("[eater] the shop is closed: bye")
        .contains("the eater ended with ProcessExit(0): true")
        .contains("cookies left: 0")
        .contains("the eater woke 6 times");
  }

  @Test
  void luckTest_oneDrawWins_everyDrawerStops() throws Exception {
    String out = run(() -> LuckTest.run(ctx));
    assertThat(out)
        .containsPattern("listener: drawer [123] drew 0\\.60[0-4]\\d*, between 0.6 and 0.605")
        .contains("listener: I set STOP to true")
        .containsPattern("all 3 drawers stopped after \\d+ draws in total");
    assertThat(count(out, ": STOP was set to true after my ")).isEqualTo(3);
  }

  @Test
  void nestedProcs_eachLevelStartsTheNext() throws Exception {
    String out = run(() -> NestedProcs.run(ctx));
    assertThat(out)
        .contains(", msg = hello from level0\n")
        .containsPattern("level1: pid \\d+ \\(parent \\d+\\), msg = hello from level0")
        .containsPattern("level2: pid \\d+ \\(parent \\d+\\), msg = hello from level1")
        .containsPattern("level3: pid \\d+ \\(parent \\d+\\), msg = hello from level2")
        .containsPattern(
            "level0: level1 returned: level1 \\(pid \\d+ .*\\) <- level2 \\(pid \\d+ .*\\)"
                + " <- level3 \\(pid \\d+ .*\\)");
    List<Long> pids = numbers(out, ": pid ");
    assertThat(pids).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void peanutProcessor_bufferedGetsEvery_liveSkips_hybridCatchesUp() throws Exception {
    String out = run(() -> PeanutProcessor.run(ctx));
    List<Long> live = numbers(out, "(?<!non-)live consumer got: ");
    List<Long> buffered = numbers(out, "non-live consumer got: ");
    List<Long> hybrid = numbers(out, "hybrid consumer got: ");
    assertThat(live).hasSize(5).isSorted().doesNotHaveDuplicates();
    assertThat(buffered).hasSize(5);
    for (int i = 1; i < buffered.size(); i++) {
      assertThat(buffered.get(i)).as("buffered: every peanut").isEqualTo(buffered.get(i - 1) + 1);
    }
    assertThat(hybrid).hasSize(5).isSorted().doesNotHaveDuplicates();
    assertThat(hybrid.get(0))
        .as("hybrid: the next after the backlog")
        .isEqualTo(buffered.get(4) + 1);
    assertThat(out).containsPattern("the producer made \\d+ peanuts");
  }

  @Test
  void remoteExceptions_arriveWithClassMessageTraceAndCauses() throws Exception {
    String out = run(() -> RemoteExceptions.run(ctx));
    assertThat(out)
        .contains("[child] parsing the order of 'forty-two' apples")
        .contains("caught it! ProcessFailedException: ")
        .contains("exit code: 1")
        .contains("remote class: java.lang.IllegalArgumentException")
        .contains("remote message: not an order: forty-two")
        .contains(
            "cause chain: [java.lang.IllegalArgumentException, java.lang.NumberFormatException]")
        .contains(
            "remote stack trace (top frame): at io.zproc.examples.RemoteExceptions.parseOrder(")
        .contains("thrown from the child: true")
        .contains("12 / x = 3\n12 / x = 4\n")
        .contains("the map failed on item 2: java.lang.ArithmeticException")
        .contains("remote message: / by zero")
        .doesNotContain("unexpected");
  }

  @Test
  void stateWatchers_eachWatcherFiresOnItsChange() throws Exception {
    String out = run(() -> StateWatchers.run(ctx));
    assertWatchers(out);
  }

  @Test
  void stateWatchers_main() throws Exception {
    String out = run(() -> StateWatchers.main(new String[0]));
    assertWatchers(out);
  }

  private static void assertWatchers(String out) {
    assertThat(out)
        .contains(".whenNotEqual(flag1, false) waiting")
        .contains(".whenAvailable(flag1) -> flag1 = false")
        .contains(".when(s -> s.get(flag1) == true) -> flag1 = true")
        .contains(".whenEqual(flag1, true) -> flag1 = true")
        .contains(".whenNotEqual(flag1, false) -> flag1 = true")
        .contains(".whenChange() -> flag1 = false")
        .contains(".whenChange(flag2) -> flag2 = true")
        .contains(".whenNone(flag3) -> flag3 = null")
        .contains(".whenNotNone(flag3) -> flag3 = x");
    // Each fired after the change that wakes it.
    assertThat(out.indexOf(".whenEqual(flag1, true) ->"))
        .isGreaterThan(out.indexOf("main: I set flag1 = true"));
    assertThat(out.indexOf(".whenAvailable(flag1) ->"))
        .isGreaterThan(out.indexOf("main: I set flag1 = false"))
        .isLessThan(out.indexOf("main: I set flag1 = true"));
    assertThat(out.indexOf(".whenNotNone(flag3) ->"))
        .isGreaterThan(out.indexOf("main: I set flag3 = \"x\""));
  }
}
