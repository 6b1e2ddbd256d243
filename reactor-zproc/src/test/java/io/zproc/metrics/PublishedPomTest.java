package io.zproc.metrics;

import static io.zproc.testing.OptionalDependencies.assertOptionalAtTestedVersion;
import static io.zproc.testing.OptionalDependencies.published;
import static io.zproc.testing.OptionalDependencies.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The POM that {@code install} and {@code deploy} publish for reactor-zproc (flattened in {@code
 * process-resources}, before the tests) names Micrometer as an optional dependency, at the version
 * the tests ran with, and nothing of Micrometer's as a required one; and slf4j-api, which module
 * {@code io.zproc} requires, at compile scope, so that a user's module compiles against it.
 */
class PublishedPomTest {

  @Test
  void micrometer_optional_atTheTestedVersion_nothingOfItsRequired() throws Exception {
    assertOptionalAtTestedVersion(
        "io.micrometer",
        "micrometer-core",
        MeterRegistry.class,
        group ->
            group.equals("io.micrometer")
                || group.equals("org.hdrhistogram")
                || group.equals("org.latencyutils"));
  }

  @Test
  void slf4jApi_atCompileScope() throws Exception {
    Element slf4j = published("org.slf4j", "slf4j-api");
    assertThat(text(slf4j, "scope")).isIn("compile", "");
    assertThat(text(slf4j, "optional")).isIn("false", "");
  }
}
