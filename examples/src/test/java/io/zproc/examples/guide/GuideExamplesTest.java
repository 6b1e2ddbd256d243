package io.zproc.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs each guide example's main in this JVM and checks what it prints. */
@Timeout(value = 45, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuideExamplesTest {

  /** A main, run with no arguments. */
  @FunctionalInterface
  interface Main {
    void run(String[] args) throws Exception;
  }

  /** Runs a main with {@code System.out} captured (child JVMs' output included) and returns it. */
  private static String run(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      main.run(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    original.print(out); // kept in the test report
    return out;
  }

  @Test
  void launchingProcesses() throws Exception {
    String out = run(LaunchingProcesses::main);
    assertThat(out)
        .contains("started a context; its state server is at tcp://127.0.0.1:")
        .contains("the process that does nothing ended; it returned nothing: true")
        .contains("my_process returned: apples=5, setdefault(apples, 10) kept 5")
        .contains("ctx.state() sees apples = 5")
        .contains("dict-like access: asMap().get(apples) = 5")
        .contains("a snapshot is read-only")
        .contains("closed the context");
  }

  @Test
  void processArguments() throws Exception {
    String out = run(ProcessArguments::main);
    assertThat(out)
        .contains("[child] num, exp = 2, 4")
        .contains("the process returned num^exp = 16.0")
        .contains("[child] got Power[num=3, exp=2]")
        .contains("with a record argument it returned 9");
  }

  @Test
  void waitingForProcess() throws Exception {
    String out = run(WaitingForProcess::main);
    assertThat(out)
        .contains("started the sleeper (pid ")
        .contains("Hello There!\n")
        .containsPattern("the sleeper returned after \\d+ ms");
  }

  @Test
  void processFactory() throws Exception {
    String out = run(ProcessFactoryExample::main);
    assertThat(out)
        .contains("process_factory launched 4 workers")
        .contains("waitAll: [Task Complete!, Task Complete!, Task Complete!, Task Complete!]")
        .containsPattern("4 workers completed \\(the state counted 4\\) in \\d+ ms");
  }

  @Test
  void processMap() throws Exception {
    String out = run(ProcessMapExample::main);
    assertThat(out)
        .contains("squares: [1, 4, 9, 16]")
        .contains("cubes: [0, 1, 8, 27, 64] ... [941192, 970299] (100 results)")
        .contains("powers: [4, 9, 36, 256]")
        .contains("my_thingy: [1007, 3132, 32, 736, 132, 65543, 8]")
        .containsPattern("next\\(res\\) gave 0, 1, 4, 9, 16, 25, 36, 49, 64, 81 in \\d+ ms");
  }

  @Test
  void stateWatching() throws Exception {
    String out = run(StateWatching::main);
    assertThat(out)
        .contains("baked: cookies = 5")
        .contains("[whenEqual process] done with zproc!")
        .contains("[when process] the predicate passed at cookies = 5")
        .contains("the whenEqual process ended")
        .contains("the when process returned 5")
        .contains("no 6th cookie within 200 ms");
  }

  @Test
  void mutatingNestedObjects() throws Exception {
    String out = run(MutatingNestedObjects::main);
    assertThat(out)
        .contains("stored numbers = [1, 2, 3]")
        .contains(
            "appended 4 to the list read: it is [1, 2, 3, 4], but the state still has [1, 2, 3]")
        .contains("after add_a_number(state, 4) in a process: numbers = [1, 2, 3, 4]")
        .contains("after add_a_number(state, 5) here: numbers = [1, 2, 3, 4, 5]");
  }

  @Test
  void passContext() throws Exception {
    String out = run(PassContext::main);
    assertThat(out)
        .contains("[child] my own context: ZProc[tcp://127.0.0.1:")
        .contains("the child's context is its own, on the same server: true")
        .contains("and it wrote greeting = hello through the state")
        .contains("capturing the context is refused: IllegalArgumentException: ")
        .contains("processWithContext")
        .contains("capturing a State is refused too")
        .doesNotContain("unexpected");
  }
}
