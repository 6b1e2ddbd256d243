package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireClientOptionsTest {

  @Test
  void defaults_shortestPathsOnTenSecondTimeout() {
    WireClientOptions options = WireClientOptions.defaults();

    assertThat(options.secretKey()).isNull();
    assertThat(options.tls()).isFalse();
    assertThat(options.direct()).isTrue();
    assertThat(options.localSocket()).isTrue();
    assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.clientName()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void withConnectTimeout_notPositive_illegalArgumentNamingTheValue(long millis) {
    Duration timeout = Duration.ofMillis(millis);

    assertThatIllegalArgumentException()
        .isThrownBy(() -> WireClientOptions.defaults().withConnectTimeout(timeout))
        .withMessageContaining("connectTimeout")
        .withMessageContaining(timeout.toString());
  }

  @Test
  void withers_returnCopies_originalUnchanged() {
    WireClientOptions defaults = WireClientOptions.defaults();

    WireClientOptions changed =
        defaults
            .withSecretKey("k")
            .withTls(Path.of("/tmp/ca.pem"))
            .withDirect(false)
            .withLocalSocket(false)
            .withConnectTimeout(Duration.ofSeconds(1))
            .withClientName("me");

    assertThat(changed)
        .isEqualTo(
            new WireClientOptions(
                "k", true, Path.of("/tmp/ca.pem"), false, false, Duration.ofSeconds(1), "me"));
    assertThat(defaults).isEqualTo(WireClientOptions.defaults());
  }

  @Test
  void toString_secretKey_notShown() {
    assertThat(WireClientOptions.defaults().withSecretKey("hunter2").toString())
        .doesNotContain("hunter2")
        .contains("***");
  }
}
