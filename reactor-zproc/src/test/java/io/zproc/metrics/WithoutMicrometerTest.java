package io.zproc.metrics;

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
 * The library works without Micrometer on the classpath (it is an optional dependency): a JVM whose
 * classpath is this test's minus every Micrometer jar starts a context, uses the state and runs a
 * process.
 */
class WithoutMicrometerTest {

  @Test
  void noMicrometerOnTheClasspath_theLibraryWorks() throws Exception {
    String full = System.getProperty("surefire.test.class.path", "");
    if (full.isEmpty()) {
      full = System.getProperty("java.class.path");
    }
    List<String> entries = Arrays.asList(full.split(File.pathSeparator));
    assertThat(entries).anyMatch(e -> e.contains("micrometer-core"));
    String without =
        entries.stream()
            .filter(e -> !Path.of(e).getFileName().toString().startsWith("micrometer-"))
            .collect(Collectors.joining(File.pathSeparator));
    Path log = Files.createTempFile("zproc-without-micrometer", ".log");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                without,
                NoMicrometerMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      jvm.getOutputStream().close();
      boolean ended = jvm.waitFor(60, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as(output).isTrue();
      assertThat(output).contains("micrometer=absent value=1 result=2");
      assertThat(jvm.exitValue()).as(output).isZero();
    } finally {
      jvm.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }
}
