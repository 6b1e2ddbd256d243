package io.zproc.examples.webflux;

import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The reactor-zproc beans: one {@link ZProc} context for the app, and two {@link State} clients of
 * its namespace.
 *
 * <p>Why two: a {@code State}'s watchers are not woken by changes that {@code State} made itself
 * (as in the original zproc, a process reacting to "cookies" may change "cookies"). The endpoints
 * write through the {@link Primary} state, and {@code GET /when/{key}} waits through the {@link
 * #WATCHER} state, so a {@code PUT} through this app wakes a waiting request.
 */
@Configuration(proxyBeanMethods = false)
public class ZProcConfiguration {
  /** The qualifier of the {@link State} that only waits, never writes. */
  public static final String WATCHER = "zprocWatcher";

  private static final Logger log = LoggerFactory.getLogger(ZProcConfiguration.class);

  /** Made by Spring. */
  public ZProcConfiguration() {}

  /**
   * The context: connected to {@code zproc.address} if set (closing it leaves that server running),
   * otherwise owning an embedded server on {@code tcp://127.0.0.1:<free port>}. Spring calls {@link
   * ZProc#close()} when the app shuts down, which stops the embedded server, the processes and the
   * {@code processMap} workers.
   *
   * <p><b>Threading:</b> runs once, on the thread that starts the application context, and blocks
   * it while the server starts or the connection is made (never on a request thread).
   *
   * @throws io.zproc.ZProcException if the server cannot start or the connection is refused
   */
  @Bean(destroyMethod = "close")
  public ZProc zproc(ZProcProperties properties) {
    ZProcOptions options = ZProcOptions.defaults().namespace(properties.namespace());
    if (properties.secretKey() != null) {
      options = options.secretKey(properties.secretKey());
    }
    String address = properties.address();
    ZProc zproc;
    if (address == null) {
      // The secret key, if any, is also the embedded server's key.
      ServerOptions server = ServerOptions.defaults().journalSize(properties.journalSize());
      zproc = ZProc.start(options.serverOptions(server));
      log.info(
          "started an embedded zproc server at {} (namespace '{}')",
          zproc.address(),
          zproc.namespace());
    } else {
      zproc = ZProc.connect(address, options);
      log.info("connected to the zproc server at {} (namespace '{}')", address, zproc.namespace());
    }
    return zproc;
  }

  /**
   * The client the endpoints read and write with: {@link ZProc#state()}.
   *
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
   * @return a new state client of the context's namespace
   */
  @Bean(WATCHER)
  public State watcher(ZProc zproc) {
    return zproc.state(zproc.namespace());
  }
}
