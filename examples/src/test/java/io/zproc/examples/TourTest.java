package io.zproc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TourTest {

  @Test
  void tour_runsAndPrintsEachStep() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Tour.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("started an embedded state server at tcp://127.0.0.1:")
        .contains("put apples=5          -> get apples = 5")
        .contains("putIfAbsent apples=10 -> kept 5")
        .contains("increment pears by 2  -> 5")
        .contains("the server still has [apple, pear]")
        .contains("'default' has no 'queued': containsKey = false")
        .contains("whenEqual(oven, hot) woke with oven=hot")
        .contains("whenChange(cookies) -> cookies=12")
        .contains("change v1: {cookies=12} -> {cookies=11}")
        .contains("change v2: {oven=hot} -> {}")
        .contains("atomic added a plum: basket=[apple, pear, plum], size=3")
        .contains("a child JVM returned: Hello There!")
        .contains("and wrote: greeting=hello from a child JVM")
        .contains("3 processes from processFactory counted done=3")
        .contains("asMap().merge(queued, +1) -> 3")
        .contains("closed the context");
  }
}
