package io.zproc.spring.boot;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a {@link ZProc} context and its {@link State}, from {@link ZProcProperties}
 * ({@code zproc.*}). Registered in {@code
 * META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, so an
 * application with this starter on its classpath gets the beans without naming this class.
 *
 * <p>Each bean backs off when the application defines its own of that type ({@code
 * ConditionalOnMissingBean}): declare a {@code ZProc} bean to build it yourself, or {@code State}
 * beans of your own (a second client for waiting, say).
 *
 * <pre>{@code
 * @RestController
 * class Cookies {
 *   private final State state;
 *   Cookies(State state) { this.state = state; }
 *
 *   @PostMapping("/cookies") Mono<Long> bake() { return state.increment("cookies", 1); }
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass(ZProc.class)
@EnableConfigurationProperties(ZProcProperties.class)
public class ZProcAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(ZProcAutoConfiguration.class);

  /** Made by Spring. */
  public ZProcAutoConfiguration() {}

  /**
   * The context: connected to {@code zproc.address} if set (closing it leaves that server running),
   * otherwise owning an embedded server on {@code tcp://127.0.0.1:<free port>}. Spring calls {@link
   * ZProc#close()} when the application context closes, which stops the embedded server and every
   * process and {@code processMap} worker the context started.
   *
   * <p><b>Threading:</b> runs once, on the thread that starts the application context, and blocks
   * it while the server starts or the connection is made (never on a request thread).
   *
   * @param properties the {@code zproc.*} settings
   * @return the context
   * @throws IllegalArgumentException naming the property whose value is refused
   * @throws io.zproc.ZProcException if the server cannot start or the connection is refused
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ZProc zproc(ZProcProperties properties) {
    ZProcOptions options = properties.toOptions();
    if (properties.connects()) {
      String address = properties.getAddress().strip();
      ZProc zproc = ZProc.connect(address, options);
      log.info("connected to the zproc server at {} (namespace '{}')", address, zproc.namespace());
      return zproc;
    }
    ZProc zproc = ZProc.start(options);
    log.info(
        "started an embedded zproc server at {} (namespace '{}')",
        zproc.address(),
        zproc.namespace());
    return zproc;
  }

  /**
   * The context's own state client, {@link ZProc#state()}, in the namespace {@code
   * zproc.namespace}. Its watchers are not woken by its own changes: an application that waits for
   * changes it makes itself declares a second client ({@code zproc.state(zproc.namespace())}) as a
   * bean of its own, and then this one backs off too.
   *
   * @param zproc the context
   * @return the context's state client
   */
  @Bean
  @ConditionalOnMissingBean
  public State zprocState(ZProc zproc) {
    return zproc.state();
  }
}
