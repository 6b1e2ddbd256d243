package io.zproc.examples.webflux;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the HTTP endpoints, bound from {@code zproc.web.*} (the {@code ZProc} bean's own
 * {@code zproc.*} settings are the starter's, {@code io.zproc.spring.boot.ZProcProperties}). Every
 * one has a default.
 *
 * @param whenTimeout how long {@code GET /when/{key}} waits when the request names no {@code
 *     timeout}; 30 s by default
 * @param maxWhenTimeout the longest {@code timeout} a request may ask for; 5 min by default
 * @param heartbeat how often {@code GET /changes} sends a comment line to keep idle connections
 *     open through proxies; 15 s by default
 */
@ConfigurationProperties("zproc.web")
public record WebSettings(
    @DefaultValue("30s") Duration whenTimeout,
    @DefaultValue("5m") Duration maxWhenTimeout,
    @DefaultValue("15s") Duration heartbeat) {

  /**
   * Checks the durations.
   *
   * @throws IllegalArgumentException naming the property and the value it got
   */
  public WebSettings {
    positive("zproc.web.when-timeout", whenTimeout);
    positive("zproc.web.max-when-timeout", maxWhenTimeout);
    positive("zproc.web.heartbeat", heartbeat);
    if (whenTimeout.compareTo(maxWhenTimeout) > 0) {
      throw new IllegalArgumentException(
          "zproc.web.when-timeout ("
              + whenTimeout
              + ") must not exceed zproc.web.max-when-timeout ("
              + maxWhenTimeout
              + ")");
    }
  }

  private static void positive(String property, Duration value) {
    Objects.requireNonNull(value, property);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(property + " must be positive, got " + value);
    }
  }
}
