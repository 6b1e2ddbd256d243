package io.zproc.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.zproc.ZProc;
import io.zproc.metrics.ZProcMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link ZProcMetrics} meters ({@code zproc.processes.*}, and {@code
 * zproc.server.*} for an embedded server) when Micrometer is on the classpath and there are a
 * {@link MeterRegistry} bean (as with {@code spring-boot-starter-actuator}) and a {@link ZProc}
 * bean. Spring Boot binds the {@link ZProcMetrics} bean, a {@code MeterBinder}, to its registries;
 * closing the application context closes it, and so removes its meters. Replaced by a {@link
 * ZProcMetrics} bean of your own (with tags of your choice, say).
 */
@AutoConfiguration(
    after = ZProcAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({ZProc.class, MeterRegistry.class})
@ConditionalOnBean({ZProc.class, MeterRegistry.class})
public class ZProcMetricsAutoConfiguration {

  /** Made by Spring. */
  public ZProcMetricsAutoConfiguration() {}

  /**
   * The meters of the {@link ZProc} bean, with no extra tags.
   *
   * @param zproc the context
   * @return the binder, which Spring Boot binds to each {@link MeterRegistry}
   * @throws IllegalArgumentException if the {@link ZProc} bean is not one of the library's own
   *     contexts (a proxy): declare a {@link ZProcMetrics} bean yourself, or exclude this
   *     auto-configuration
   */
  @Bean
  @ConditionalOnMissingBean
  public ZProcMetrics zprocMetrics(ZProc zproc) {
    return new ZProcMetrics(zproc);
  }
}
