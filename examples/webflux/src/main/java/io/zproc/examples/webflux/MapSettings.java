package io.zproc.examples.webflux;

import io.zproc.Backend;
import io.zproc.MapOptions;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of {@code POST /squares}, the {@code processMap} endpoint, bound from {@code
 * zproc.map.*}. Every one has a default.
 *
 * @param backend where the workers run: {@code JVM} (child JVMs, the default) or {@code THREAD}
 *     (threads of this JVM, for tests)
 * @param workers how many workers one request may use; 0 (the default) lets the library choose (one
 *     per core)
 * @param maxItems the most numbers one request may send; 10,000 by default
 */
@ConfigurationProperties("zproc.map")
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
      throw new IllegalArgumentException("zproc.map.max-items must be at least 1, got " + maxItems);
    }
  }

  /** The {@link MapOptions} these settings give. */
  public MapOptions options() {
    MapOptions options = MapOptions.defaults().backend(backend);
    return workers == 0 ? options : options.count(workers);
  }
}
