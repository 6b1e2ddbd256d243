package io.zproc.examples.webflux;

import io.zproc.Backend;
import io.zproc.MapOptions;
import io.zproc.ServerOptions;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The app's settings, bound from {@code zproc.*} properties (or {@code ZPROC_*} environment
 * variables). Every one has a default, so the app starts with none set.
 *
 * @param address a running server to connect to, such as {@code tcp://10.0.0.5:5000}; empty (the
 *     default) starts an embedded server on {@code tcp://127.0.0.1:<free port>}
 * @param namespace the namespace the endpoints read and write; {@code default} by default
 * @param secretKey the server's secret key (for an embedded server: the key it requires); none by
 *     default
 * @param journalSize how many changes the embedded server keeps per namespace for {@code
 *     Last-Event-ID} resumption; ignored with {@code address}
 * @param web settings of the HTTP endpoints
 * @param map settings of the {@code processMap} endpoint
 */
@ConfigurationProperties("zproc")
public record ZProcProperties(
    @Nullable String address,
    @DefaultValue("default") String namespace,
    @Nullable String secretKey,
    @DefaultValue("" + ServerOptions.DEFAULT_JOURNAL_SIZE) int journalSize,
    @DefaultValue WebSettings web,
    @DefaultValue MapSettings map) {

  /**
   * Checks the settings, so that a bad one stops the app at startup with its name.
   *
   * @throws IllegalArgumentException naming the property and the value it got
   */
  public ZProcProperties {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isBlank()) {
      throw new IllegalArgumentException(
          "zproc.namespace must not be blank; leave it unset for 'default'");
    }
    if (journalSize < 1) {
      throw new IllegalArgumentException(
          "zproc.journal-size must be at least 1, got " + journalSize);
    }
    if (address != null && address.isBlank()) {
      address = null;
    }
    if (secretKey != null && secretKey.isEmpty()) {
      secretKey = null;
    }
  }

  /**
   * Settings of the HTTP endpoints.
   *
   * @param whenTimeout how long {@code GET /when/{key}} waits when the request names no {@code
   *     timeout}; 30 s by default
   * @param maxWhenTimeout the longest {@code timeout} a request may ask for; 5 min by default
   * @param heartbeat how often {@code GET /changes} sends a comment line to keep idle connections
   *     open through proxies; 15 s by default
   */
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
  }

  /**
   * Settings of {@code POST /squares}, the {@code processMap} endpoint.
   *
   * @param backend where the workers run: {@code JVM} (child JVMs, the default) or {@code THREAD}
   *     (threads of this JVM, for tests)
   * @param workers how many workers one request may use; 0 (the default) lets the library choose
   *     (one per core)
   * @param maxItems the most numbers one request may send; 10,000 by default
   */
  public record MapSettings(
      @DefaultValue("JVM") Backend backend,
      @DefaultValue("0") int workers,
      @DefaultValue("10000") int maxItems) {

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException naming the property and the value it got
     */
    public MapSettings {
      Objects.requireNonNull(backend, "backend");
      if (workers < 0 || workers > MapOptions.MAX_COUNT) {
        throw new IllegalArgumentException(
            "zproc.map.workers must be between 0 (the library's default) and "
                + MapOptions.MAX_COUNT
                + ", got "
                + workers);
      }
      if (maxItems < 1) {
        throw new IllegalArgumentException(
            "zproc.map.max-items must be at least 1, got " + maxItems);
      }
    }

    /** The {@link MapOptions} these settings give. */
    public MapOptions options() {
      MapOptions options = MapOptions.defaults().backend(backend);
      return workers == 0 ? options : options.count(workers);
    }
  }

  private static void positive(String property, Duration value) {
    Objects.requireNonNull(value, property);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(property + " must be positive, got " + value);
    }
  }
}
