package com.example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zproc.MapOptions;
import io.zproc.ProcessExit;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * What a new user does first, from a project whose only dependency is reactor-zproc: every
 * Netty jar at one version, then state, watching, child processes and processMap.
 */
class UserProjectTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Maven's repository layout: .../group/path/artifact/version/artifact-version[-classifier].jar */
  private static final Pattern JAR =
      Pattern.compile(".*/(io/netty|io/projectreactor/netty|io/projectreactor)/([^/]+)/([^/]+)/[^/]+\\.jar$");

  @Test
  void theClasspathHasOneNettyAndOneReactorNetty() {
    Map<String, TreeSet<String>> versionsByGroup = new TreeMap<>();
    Map<String, String> netty = new TreeMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Matcher m = JAR.matcher(entry.replace(File.separatorChar, '/'));
      if (m.matches()) {
        String group = m.group(1);
        if (group.equals("io/projectreactor") && !m.group(2).equals("reactor-core")) {
          continue;
        }
        versionsByGroup.computeIfAbsent(group, g -> new TreeSet<>()).add(m.group(3));
        if (group.equals("io/netty")) {
          netty.put(m.group(2), m.group(3));
        }
      }
    }
    assertTrue(netty.containsKey("netty-buffer"), "no netty-buffer on " + netty);
    assertEquals(1, versionsByGroup.get("io/netty").size(), "Netty jars at several versions: " + netty);
    assertEquals(
        System.getProperty("expected.netty.version"),
        versionsByGroup.get("io/netty").first(),
        "not the Netty the library was tested with");
    assertEquals(1, versionsByGroup.get("io/projectreactor/netty").size(), "" + versionsByGroup);
    assertEquals(1, versionsByGroup.get("io/projectreactor").size(), "" + versionsByGroup);
  }

  @Test
  void micrometerIsOptional_notOnTheClasspath() {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      assertFalse(
          entry.replace(File.separatorChar, '/').contains("/io/micrometer/"),
          "reactor-zproc's optional Micrometer dependency came along: " + entry);
    }
  }

  @Test
  void stateWatchingProcessesAndProcessMap() {
    ZProc ctx = ZProc.start();
    try {
      State state = ctx.state();
      state.put("greeting", "hello").block(WAIT);
      assertEquals("hello", state.get("greeting").block(WAIT));

      // a watcher set before the child changes the state, released by the child's change
      Mono<Snapshot> three = state.whenEqual("cookies", 3).cache();
      three.subscribe();
      ZProcess<Integer> baker =
          ctx.process(
              s -> {
                for (int i = 1; i <= 3; i++) {
                  s.put("cookies", i).block();
                }
                return 3;
              });
      assertEquals(3, three.block(WAIT).get("cookies"));
      assertEquals(3, baker.result().block(WAIT));
      assertEquals(0, baker.exitCode().getAsInt(), "result() emits once the child has exited");
      assertFalse(baker.isAlive());

      ZProcess<Long> visitor =
          ctx.processWithContext(child -> child.state().increment("visits", 1).block());
      assertEquals(1L, visitor.result().block(WAIT));

      ZProcess<Void> eater =
          ctx.callWhenChange(
              (snapshot, s) -> {
                int n = ((Number) snapshot.get("n")).intValue();
                s.increment("seen", 1).block();
                if (n >= 3) {
                  throw new ProcessExit(0);
                }
              },
              "n");
      for (int i = 1; i <= 3; i++) {
        state.put("n", i).block(WAIT);
        state.whenEqual("seen", i).block(WAIT);
      }
      eater.result().block(WAIT);
      assertEquals(0, eater.exitCode().getAsInt());

      List<Integer> squares =
          ctx.processMap(
                  IntStream.range(0, 100).boxed().collect(Collectors.toList()),
                  (Integer i) -> i * i,
                  MapOptions.defaults().count(2))
              .collectList()
              .block(WAIT);
      assertEquals(IntStream.range(0, 100).map(i -> i * i).boxed().collect(Collectors.toList()), squares);
    } finally {
      long start = System.nanoTime();
      ctx.close();
      long closeMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(closeMillis < 5_000, "close() took " + closeMillis + " ms");
    }
  }
}
