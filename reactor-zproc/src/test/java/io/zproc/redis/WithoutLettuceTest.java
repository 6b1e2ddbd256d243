package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Lettuce is an optional dependency: a JVM whose class path is this test's minus Lettuce serves the
 * memory store, and a server asked for a redis store says which artifact to add.
 */
class WithoutLettuceTest {

  @Test
  void noLettuceOnTheClassPath_memoryWorks_andRedisNamesTheArtifact() throws Exception {
    String full = System.getProperty("surefire.test.class.path", "");
    if (full.isEmpty()) {
      full = System.getProperty("java.class.path");
    }
    List<String> entries = Arrays.asList(full.split(File.pathSeparator));
    assertThat(entries).anyMatch(e -> e.contains("lettuce-core"));
    String without =
        entries.stream()
            .filter(e -> !Path.of(e).getFileName().toString().startsWith("lettuce-"))
            .collect(Collectors.joining(File.pathSeparator));
    Path log = Files.createTempFile("zproc-without-lettuce", ".log");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                without,
                NoLettuceMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      jvm.getOutputStream().close();
      boolean ended = jvm.waitFor(60, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as(output).isTrue();
      assertThat(output)
          .contains("lettuce=absent memory=ok")
          .contains("refused: the store redis://127.0.0.1:6379")
          .contains("add the dependency io.lettuce:lettuce-core");
      assertThat(jvm.exitValue()).as(output).isZero();
    } finally {
      jvm.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
