package io.zproc.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.testing.OptionalDependencies;
import org.junit.jupiter.api.Test;

/**
 * The library works without Micrometer on the classpath (it is an optional dependency): a JVM whose
 * classpath is this test's minus every Micrometer jar starts a context, uses the state and runs a
 * process.
 */
class WithoutMicrometerTest {

  @Test
  void noMicrometerOnTheClasspath_theLibraryWorks() throws Exception {
    assertThat(OptionalDependencies.runWithout("micrometer-", NoMicrometerMain.class))
        .contains("micrometer=absent value=1 result=2");
  }
}
