/**
 * Micrometer meters for reactor-zproc: {@link io.zproc.metrics.ZProcMetrics} binds a context's
 * process meters and its embedded server's meters to a {@code MeterRegistry}.
 *
 * <p>This is the only package that uses Micrometer, an optional dependency: add {@code
 * io.micrometer:micrometer-core} to use it. Nothing else in the library loads a Micrometer class,
 * so an application without Micrometer never touches this package.
 */
@NullMarked
package io.zproc.metrics;

import org.jspecify.annotations.NullMarked;
