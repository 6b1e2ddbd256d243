package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zproc.ZProc;
import io.zproc.metrics.ZProcMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link ZProcMetricsAutoConfiguration}: when the meters are bound, and when not. */
class ZProcMetricsAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Spring Boot's metrics (a simple registry) and the starter. */
  private final ApplicationContextRunner withRegistry =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  ZProcAutoConfiguration.class,
                  ZProcMetricsAutoConfiguration.class));

  @Test
  void meterRegistry_zprocMetersBound() {
    withRegistry.run(
        context -> {
          assertThat(context).hasSingleBean(ZProcMetrics.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("zproc.server.connections").gauge().value())
              .isGreaterThanOrEqualTo(1);
          assertThat(registry.get("zproc.processes.running").gauge().value()).isZero();
          context.getBean(ZProc.class).state("orders").put("k", 1).block(WAIT);
          assertThat(
                  registry
                      .get("zproc.server.journal.changes")
                      .tags("namespace", "orders")
                      .gauge()
                      .value())
              .isEqualTo(1);
        });
  }

  @Test
  void noMeterRegistry_noMetrics_theContextStillThere() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ZProcAutoConfiguration.class, ZProcMetricsAutoConfiguration.class))
        .run(
            context ->
                assertThat(context).hasSingleBean(ZProc.class).doesNotHaveBean(ZProcMetrics.class));
  }

  @Test
  void noMicrometer_noMetrics_theContextStillThere() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                ZProcAutoConfiguration.class, ZProcMetricsAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(
            context ->
                assertThat(context).hasSingleBean(ZProc.class).doesNotHaveBean(ZProcMetrics.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnMetrics {
    @Bean
    ZProcMetrics ownZprocMetrics(ZProc zproc) {
      return new ZProcMetrics(zproc, Tags.of("app", "mine"), 10);
    }
  }

  @Test
  void ownZProcMetrics_theStartersBacksOff() {
    withRegistry
        .withUserConfiguration(OwnMetrics.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(ZProcMetrics.class).hasBean("ownZprocMetrics");
              assertThat(
                      context
                          .getBean(MeterRegistry.class)
                          .get("zproc.server.namespaces")
                          .gauge()
                          .getId()
                          .getTag("app"))
                  .isEqualTo("mine");
            });
  }

  @Test
  void contextClosed_metersRemoved() {
    MeterRegistry[] registry = new MeterRegistry[1];
    withRegistry.run(
        context -> {
          registry[0] = context.getBean(MeterRegistry.class);
          assertThat(registry[0].find("zproc.server.namespaces").gauge()).isNotNull();
        });
    assertThat(registry[0].find("zproc.server.namespaces").gauge()).isNull();
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
            StandardCharsets.UTF_8);
    assertThat(imports.lines()).contains(ZProcMetricsAutoConfiguration.class.getName());
  }
}
