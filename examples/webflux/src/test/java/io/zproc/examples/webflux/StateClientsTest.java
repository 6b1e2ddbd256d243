package io.zproc.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.spring.boot.ZProcAutoConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The app's beans without the web server: the starter's {@code ZProc} (ownership), {@link
 * StateClients} and the app's settings.
 */
class StateClientsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({WebSettings.class, MapSettings.class})
  static class Settings {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ZProcAutoConfiguration.class))
          .withUserConfiguration(Settings.class, StateClients.class);

  @Test
  void noAddress_startsAnEmbeddedServer_andStopsItWithTheContext() {
    String[] address = new String[1];
    runner.run(
        context -> {
          ZProc zproc = context.getBean(ZProc.class);
          address[0] = zproc.address();
          assertThat(address[0]).startsWith("tcp://127.0.0.1:");
          State state = context.getBean(State.class);
          state.put("k", 1).block(WAIT);
          assertThat(state.get("k").block(WAIT)).isEqualTo(1);
        });
    ZProcOptions quick = ZProcOptions.defaults().connectTimeout(Duration.ofSeconds(2));
    assertThatThrownBy(() -> ZProc.connect(address[0], quick).close())
        .isInstanceOf(ZProcException.class);
  }

  @Test
  void address_connectsToARunningServer_andLeavesItRunning() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0")) {
      runner
          .withPropertyValues("zproc.address=" + server.address(), "zproc.namespace=orders")
          .run(
              context -> {
                assertThat(context.getBean(ZProc.class).address()).isEqualTo(server.address());
                State state = context.getBean(State.class);
                assertThat(state.namespace()).isEqualTo("orders");
                state.put("placed", 3).block(WAIT);
              });
      try (ZProc other = ZProc.connect(server.address())) {
        assertThat(other.state("orders").get("placed").block(WAIT)).isEqualTo(3);
      }
    }
  }

  @Test
  void watcher_isASecondClientOfTheSameNamespace() {
    runner
        .withPropertyValues("zproc.namespace=kitchen")
        .run(
            context -> {
              State state = context.getBean(State.class);
              State watcher = context.getBean(StateClients.WATCHER, State.class);
              assertThat(watcher.namespace()).isEqualTo("kitchen");
              assertThat(watcher.id()).isNotEqualTo(state.id());
            });
  }

  @Test
  void badSetting_stopsStartupNamingTheProperty() {
    runner
        .withPropertyValues("zproc.map.workers=999")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("zproc.map.workers must be between 0")
                    .hasMessageContaining("999"));
    runner
        .withPropertyValues("zproc.web.when-timeout=10m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("zproc.web.when-timeout (PT10M)")
                    .hasMessageContaining("zproc.web.max-when-timeout (PT5M)"));
  }
}
