package io.zproc.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ServerOptions;
import io.zproc.ZProcOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** {@link ZProcProperties}: binding of every {@code zproc.*} property and the options it gives. */
class ZProcPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ZProcProperties.class)
  static class Bind {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Bind.class);

  @Test
  void defaults_areTheLibrarysDefaults() {
    ZProcProperties properties = new ZProcProperties();
    assertThat(properties.connects()).isFalse();
    ZProcOptions options = properties.toOptions();
    ZProcOptions defaults = ZProcOptions.defaults();
    assertThat(options.namespace()).isEqualTo(defaults.namespace());
    assertThat(options.secretKey()).isNull();
    assertThat(options.tls()).isFalse();
    assertThat(options.connectTimeout()).isEqualTo(defaults.connectTimeout());
    assertThat(options.spareProcesses()).isEqualTo(defaults.spareProcesses());
    assertThat(options.bind()).isEqualTo(defaults.bind());
    ServerOptions server = options.serverOptions();
    assertThat(server.journalSize()).isEqualTo(ServerOptions.defaults().journalSize());
    assertThat(server.journalBytes()).isEqualTo(ServerOptions.defaults().journalBytes());
    assertThat(server.maxFrameSize()).isEqualTo(ServerOptions.defaults().maxFrameSize());
    assertThat(server.tlsKeyStore()).isNull();
    assertThat(server.allowedOrigins()).isEmpty();
    assertThat(properties.getHealth().getTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void everyProperty_bindsToItsOption() {
    runner
        .withPropertyValues(
            "zproc.namespace=kitchen",
            "zproc.secret-key=k1",
            "zproc.connect-timeout=3s",
            "zproc.spare-processes=0",
            "zproc.tls.enabled=true",
            "zproc.tls.trusted-certificates=/etc/zproc/ca.pem",
            "zproc.server.bind=tcp://0.0.0.0:5000",
            "zproc.server.store=redis://10.0.0.7:6379/2",
            "zproc.server.journal-size=42",
            "zproc.server.journal-bytes=2MB",
            "zproc.server.max-frame-size=64KB",
            "zproc.server.allowed-origins=https://a.example,https://b.example",
            "zproc.server.tls.key-store=/etc/zproc/server.p12",
            "zproc.server.tls.key-store-password=pw",
            "zproc.health.timeout=500ms")
        .run(
            context -> {
              ZProcProperties properties = context.getBean(ZProcProperties.class);
              ZProcOptions options = properties.toOptions();
              assertThat(options.namespace()).isEqualTo("kitchen");
              assertThat(options.secretKey()).isEqualTo("k1");
              assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
              assertThat(options.spareProcesses()).isZero();
              assertThat(options.tls()).isTrue();
              assertThat(options.tlsTrust()).isEqualTo(Path.of("/etc/zproc/ca.pem"));
              assertThat(options.bind()).isEqualTo("tcp://0.0.0.0:5000");
              assertThat(options.serverOptions().store()).isEqualTo("redis://10.0.0.7:6379/2");
              ServerOptions server = options.serverOptions();
              assertThat(server.journalSize()).isEqualTo(42);
              assertThat(server.journalBytes()).isEqualTo(2L * 1024 * 1024);
              assertThat(server.maxFrameSize()).isEqualTo(65536);
              assertThat(server.allowedOrigins())
                  .containsExactlyInAnyOrder("https://a.example", "https://b.example");
              assertThat(server.tlsKeyStore()).isEqualTo(Path.of("/etc/zproc/server.p12"));
              assertThat(server.tlsPassword()).isEqualTo("pw");
              assertThat(properties.getHealth().getTimeout()).isEqualTo(Duration.ofMillis(500));
            });
  }

  @Test
  void address_binds_andMeansConnect() {
    runner
        .withPropertyValues("zproc.address=tcp://10.0.0.5:5000")
        .run(
            context -> {
              ZProcProperties properties = context.getBean(ZProcProperties.class);
              assertThat(properties.connects()).isTrue();
              assertThat(properties.getAddress()).isEqualTo("tcp://10.0.0.5:5000");
            });
  }

  @Test
  void withAddress_serverSettingsAreIgnored() {
    ZProcProperties properties = new ZProcProperties();
    properties.setAddress("tcp://10.0.0.5:5000");
    properties.getServer().setJournalSize(7);
    assertThat(properties.toOptions().serverOptions().journalSize())
        .isEqualTo(ServerOptions.defaults().journalSize());
  }

  @Test
  void emptySecretKey_meansNone() {
    ZProcProperties properties = new ZProcProperties();
    properties.setSecretKey("");
    assertThat(properties.toOptions().secretKey()).isNull();
  }

  @Test
  void badValues_namedInTheError() {
    ZProcProperties properties = new ZProcProperties();
    properties.setConnectTimeout(Duration.ZERO);
    assertThatThrownBy(properties::toOptions)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("zproc.connect-timeout: ");

    ZProcProperties frames = new ZProcProperties();
    frames.getServer().setMaxFrameSize(DataSize.ofBytes(10));
    assertThatThrownBy(frames::toOptions)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("zproc.server.max-frame-size: ")
        .hasMessageContaining("10");

    ZProcProperties journal = new ZProcProperties();
    journal.getServer().setJournalBytes(DataSize.ofBytes(1));
    assertThatThrownBy(journal::toOptions).hasMessageStartingWith("zproc.server.journal-bytes: ");

    ZProcProperties store = new ZProcProperties();
    store.getServer().setStore("mongodb://x");
    assertThatThrownBy(store::toOptions).hasMessageStartingWith("zproc.server.store: ");

    ZProcProperties bind = new ZProcProperties();
    bind.getServer().setBind(" ");
    assertThatThrownBy(bind::toOptions)
        .hasMessageStartingWith("zproc.server.bind: ")
        .hasMessageContaining("blank");
  }

  @Test
  void configurationMetadata_describesEveryProperty() throws Exception {
    String metadata;
    try (var in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the configuration processor's output").isNotNull();
      metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String property :
        List.of(
            "zproc.address",
            "zproc.secret-key",
            "zproc.namespace",
            "zproc.connect-timeout",
            "zproc.spare-processes",
            "zproc.tls.enabled",
            "zproc.tls.trusted-certificates",
            "zproc.server.bind",
            "zproc.server.store",
            "zproc.server.journal-size",
            "zproc.server.journal-bytes",
            "zproc.server.max-frame-size",
            "zproc.server.allowed-origins",
            "zproc.server.tls.key-store",
            "zproc.server.tls.key-store-password",
            "zproc.health.timeout")) {
      assertThat(metadata).contains("\"name\": \"" + property + "\"");
    }
    assertThat(metadata).contains("A running server to connect to");
  }
}
