/**
 * Spring Boot auto-configuration for reactor-zproc: a {@link io.zproc.ZProc} bean and its {@link
 * io.zproc.State} from {@code zproc.*} properties ({@link io.zproc.spring.boot.ZProcProperties}),
 * an Actuator health indicator, and Micrometer meters ({@link
 * io.zproc.spring.boot.ZProcMetricsAutoConfiguration}). See {@code docs/spring.md}.
 */
@NullMarked
package io.zproc.spring.boot;

import org.jspecify.annotations.NullMarked;
