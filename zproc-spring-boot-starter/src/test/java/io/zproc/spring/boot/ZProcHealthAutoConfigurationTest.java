package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ZProc;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link ZProcHealthAutoConfiguration}: when the health indicator is there, and when not. */
class ZProcHealthAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ZProcAutoConfiguration.class, ZProcHealthAutoConfiguration.class));

  @Test
  void healthOnTheClasspath_indicatorPingsTheServer() {
    runner
        .withPropertyValues("zproc.health.timeout=3s")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ZProcHealthIndicator.class);
              context
                  .getBean("zprocHealthIndicator", ReactiveHealthIndicator.class)
                  .health()
                  .as(StepVerifier::create)
                  .assertNext(
                      health -> {
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails())
                            .containsEntry("address", context.getBean(ZProc.class).address());
                      })
                  .expectComplete()
                  .verify(WAIT);
            });
  }

  @Test
  void disabled_noIndicator() {
    runner
        .withPropertyValues("management.health.zproc.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ZProc.class)
                    .doesNotHaveBean(ZProcHealthIndicator.class));
  }

  @Test
  void noHealthSupport_noIndicator_theContextStillThere() {
    runner
        .withClassLoader(new FilteredClassLoader(ReactiveHealthIndicator.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(ZProc.class)
                    .doesNotHaveBean(ZProcHealthIndicator.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnIndicator {
    @Bean
    ReactiveHealthIndicator zprocHealthIndicator() {
      return () -> Mono.empty();
    }
  }

  @Test
  void ownIndicatorNamedZprocHealthIndicator_theStartersBacksOff() {
    runner
        .withUserConfiguration(OwnIndicator.class)
        .run(context -> assertThat(context).doesNotHaveBean(ZProcHealthIndicator.class));
  }

  @Test
  void registered_inAutoConfigurationImports() throws Exception {
    String imports =
        new String(
            getClass()
                .getClassLoader()
                .getResourceAsStream(
                    "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(imports.lines())
        .contains(
            ZProcAutoConfiguration.class.getName(), ZProcHealthAutoConfiguration.class.getName());
  }
}
