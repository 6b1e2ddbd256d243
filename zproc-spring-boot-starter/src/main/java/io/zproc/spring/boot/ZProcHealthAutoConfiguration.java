package io.zproc.spring.boot;

import io.zproc.ZProc;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link ZProcHealthIndicator} (health contributor {@code zproc}) when Spring
 * Boot's health support is on the classpath (as with {@code spring-boot-starter-actuator}) and
 * there is a {@link ZProc} bean. Turned off with {@code management.health.zproc.enabled=false};
 * replaced by a bean of your own named {@code zprocHealthIndicator}.
 */
@AutoConfiguration(after = ZProcAutoConfiguration.class)
@ConditionalOnClass({ZProc.class, ReactiveHealthIndicator.class})
@ConditionalOnBean(ZProc.class)
@ConditionalOnEnabledHealthIndicator("zproc")
public class ZProcHealthAutoConfiguration {

  /** Made by Spring. */
  public ZProcHealthAutoConfiguration() {}

  /**
   * The health indicator: a ping of the context's server.
   *
   * @param zproc the context
   * @param properties the {@code zproc.*} settings ({@code zproc.health.timeout})
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "zprocHealthIndicator")
  public ZProcHealthIndicator zprocHealthIndicator(ZProc zproc, ZProcProperties properties) {
    return new ZProcHealthIndicator(zproc, properties.getHealth().getTimeout());
  }
}
