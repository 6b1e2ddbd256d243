package io.zproc.examples.webflux;

import io.zproc.State;
import io.zproc.ZProc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The app's two {@link State} clients of the {@link ZProc} bean's namespace. The {@code ZProc} bean
 * itself comes from {@code zproc-spring-boot-starter} ({@code zproc.*} properties); these replace
 * the starter's single {@code State} bean, which backs off when an application declares its own.
 *
 * <p>Why two: a {@code State}'s watchers are not woken by changes that {@code State} made itself
 * (as in the original zproc, a process reacting to "cookies" may change "cookies"). The endpoints
 * write through the {@link Primary} state, and {@code GET /when/{key}} waits through the {@link
 * #WATCHER} state, so a {@code PUT} through this app wakes a waiting request.
 */
@Configuration(proxyBeanMethods = false)
public class StateClients {
  /** The qualifier of the {@link State} that only waits, never writes. */
  public static final String WATCHER = "zprocWatcher";

  /** Made by Spring. */
  public StateClients() {}

  /**
   * The client the endpoints read and write with: {@link ZProc#state()}.
   *
   * @param zproc the starter's context
   * @return the context's own state client
   */
  @Bean
  @Primary
  public State state(ZProc zproc) {
    return zproc.state();
  }

  /**
   * A second client of the same namespace, used only to wait ({@code when*}), so that it is woken
   * by the writes of {@link #state(ZProc)}.
   *
   * @param zproc the starter's context
   * @return a new state client of the context's namespace
   */
  @Bean(WATCHER)
  public State watcher(ZProc zproc) {
    return zproc.state(zproc.namespace());
  }
}
