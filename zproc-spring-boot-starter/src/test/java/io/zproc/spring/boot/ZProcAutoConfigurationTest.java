package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ChangesLostException;
import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import io.zproc.rsocket.testing.SelfSignedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.test.StepVerifier;

/** {@link ZProcAutoConfiguration} in an application context: each {@code zproc.*} path. */
class ZProcAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PASSWORD = "changeit";
  private static final ZProcOptions QUICK =
      ZProcOptions.defaults().connectTimeout(Duration.ofSeconds(2));

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ZProcAutoConfiguration.class));

  @TempDir Path dir;

  @Test
  void noProperties_startsAnEmbeddedServer_andStopsItWithTheContext() {
    String[] address = new String[1];
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(ZProc.class).hasSingleBean(State.class);
          ZProc zproc = context.getBean(ZProc.class);
          address[0] = zproc.address();
          assertThat(address[0]).startsWith("tcp://127.0.0.1:");
          assertThat(zproc.namespace()).isEqualTo("default");
          State state = context.getBean(State.class);
          assertThat(state.namespace()).isEqualTo("default");
          state.put("k", 1).block(WAIT);
          assertThat(state.get("k").block(WAIT)).isEqualTo(1);
        });
    assertThatThrownBy(() -> ZProc.connect(address[0], QUICK).close())
        .isInstanceOf(ZProcException.class);
  }

  @Test
  void address_connectsToARunningServer_andLeavesItRunning() {
    try (ZProcServer server = ZProcServer.start("tcp://127.0.0.1:0")) {
      runner
          .withPropertyValues("zproc.address=" + server.address(), "zproc.namespace=orders")
          .run(
              context -> {
                ZProc zproc = context.getBean(ZProc.class);
                assertThat(zproc.address()).isEqualTo(server.address());
                assertThat(zproc.namespace()).isEqualTo("orders");
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
  void blankAddress_startsAnEmbeddedServer() {
    runner
        .withPropertyValues("zproc.address= ")
        .run(
            context ->
                assertThat(context.getBean(ZProc.class).address()).startsWith("tcp://127.0.0.1:"));
  }

  @Test
  void addressAndSecretKey_connectWithTheKey_aWrongKeyStopsStartup() {
    try (ZProcServer server =
        ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().secretKey("s3cret"))) {
      runner
          .withPropertyValues("zproc.address=" + server.address(), "zproc.secret-key=s3cret")
          .run(context -> assertThat(context.getBean(ZProc.class).ping().block(WAIT)).isPositive());
      runner
          .withPropertyValues(
              "zproc.address=" + server.address(),
              "zproc.secret-key=wrong",
              "zproc.connect-timeout=3s")
          .run(
              context ->
                  assertThat(context).getFailure().hasStackTraceContaining("wrong secret key"));
    }
  }

  @Test
  void secretKey_isTheEmbeddedServersKey() {
    runner
        .withPropertyValues("zproc.secret-key=embedded-key")
        .run(
            context -> {
              String address = context.getBean(ZProc.class).address();
              try (ZProc withKey = ZProc.connect(address, QUICK.secretKey("embedded-key"))) {
                assertThat(withKey.ping().block(WAIT)).isPositive();
              }
              assertThatThrownBy(() -> ZProc.connect(address, QUICK.secretKey("other")).close())
                  .isInstanceOf(ZProcException.class);
            });
  }

  @Test
  void serverJournalSize_boundsTheEmbeddedServersJournal() {
    runner
        .withPropertyValues("zproc.server.journal-size=5")
        .run(
            context -> {
              State state = context.getBean(State.class);
              for (int i = 0; i < 10; i++) {
                state.put("n", i).block(WAIT);
              }
              state
                  .changes(1)
                  .as(StepVerifier::create)
                  .expectError(ChangesLostException.class)
                  .verify(WAIT);
            });
  }

  @Test
  void serverTls_servesTls_andTlsProperties_connectWithTheTrust() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.pem");
    SelfSignedCertificate.make(keyStore, certificate, PASSWORD);
    String[] address = new String[1];
    // An embedded server serving TLS: an outside client connects with the certificate.
    runner
        .withPropertyValues(
            "zproc.secret-key=tls-key",
            "zproc.server.tls.key-store=" + keyStore,
            "zproc.server.tls.key-store-password=" + PASSWORD)
        .run(
            context -> {
              address[0] = context.getBean(ZProc.class).address();
              ZProcOptions trusting =
                  QUICK.secretKey("tls-key").tls(certificate).localSocket(false);
              try (ZProc client = ZProc.connect(address[0], trusting)) {
                assertThat(client.ping().block(WAIT)).isPositive();
              }
            });
    // A starter-made client of a TLS server: zproc.tls.*.
    try (ZProcServer server =
        ZProcServer.start(
            "tcp://127.0.0.1:0",
            ServerOptions.defaults().tls(keyStore, PASSWORD).secretKey("tls-key"))) {
      runner
          .withPropertyValues(
              "zproc.address=" + server.address(),
              "zproc.secret-key=tls-key",
              "zproc.tls.enabled=true",
              "zproc.tls.trusted-certificates=" + certificate)
          .run(
              context -> {
                ZProcProperties properties = context.getBean(ZProcProperties.class);
                assertThat(properties.toOptions().tls()).isTrue();
                assertThat(properties.toOptions().tlsTrust()).isEqualTo(certificate);
                assertThat(context.getBean(ZProc.class).ping().block(WAIT)).isPositive();
              });
    }
  }

  @Test
  void serverTlsWithoutPassword_stopsStartupNamingTheProperty() {
    runner
        .withPropertyValues("zproc.server.tls.key-store=" + dir.resolve("none.p12"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("zproc.server.tls.key-store-password: must be set"));
  }

  @Test
  void badValues_stopStartupNamingTheProperty() {
    runner
        .withPropertyValues("zproc.spare-processes=17")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "zproc.spare-processes: spareProcesses must be 0..16, got 17"));
    runner
        .withPropertyValues("zproc.namespace= ")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("zproc.namespace: must not be blank"));
    runner
        .withPropertyValues("zproc.server.journal-size=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("zproc.server.journal-size: "));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnContext {
    @Bean(destroyMethod = "close")
    ZProc myZProc() {
      return ZProc.start(ZProcOptions.defaults().namespace("mine"));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnState {
    @Bean
    State myState(ZProc zproc) {
      return zproc.state("elsewhere");
    }
  }

  @Test
  void ownZProcBean_theStartersBacksOff() {
    runner
        .withUserConfiguration(OwnContext.class)
        .withPropertyValues("zproc.namespace=ignored")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ZProc.class).hasBean("myZProc");
              assertThat(context.getBean(ZProc.class).namespace()).isEqualTo("mine");
              assertThat(context.getBean(State.class).namespace()).isEqualTo("mine");
            });
  }

  @Test
  void ownStateBean_theStartersBacksOff() {
    runner
        .withUserConfiguration(OwnState.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(State.class).doesNotHaveBean("zprocState");
              assertThat(context.getBean(State.class).namespace()).isEqualTo("elsewhere");
            });
  }
}
