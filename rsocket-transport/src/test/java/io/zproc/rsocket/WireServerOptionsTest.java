package io.zproc.rsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WireServerOptionsTest {

  @Test
  void defaults_noKeyNoTls16MiBLocalSocket() {
    WireServerOptions options = WireServerOptions.defaults();

    assertThat(options.secretKey()).isNull();
    assertThat(options.maxFrameSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(options.tlsKeyStore()).isNull();
    assertThat(options.localSocket()).isTrue();
  }

  @Test
  void withMaxFrameSize_belowTheMinimum_illegalArgumentNamingValueAndMinimum() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> WireServerOptions.defaults().withMaxFrameSize(1023))
        .withMessageContaining("maxFrameSize")
        .withMessageContaining("1024")
        .withMessageContaining("1023");
  }

  @Test
  void withMaxFrameSize_theMinimum_accepted() {
    assertThat(WireServerOptions.defaults().withMaxFrameSize(1024).maxFrameSize()).isEqualTo(1024);
  }

  @Test
  void withers_returnCopies_originalUnchanged() {
    WireServerOptions defaults = WireServerOptions.defaults();

    WireServerOptions changed =
        defaults
            .withSecretKey("k")
            .withMaxFrameSize(4096)
            .withTls(Path.of("/tmp/k.p12"), "pw")
            .withLocalSocket(false)
            .withAllowedOrigins(java.util.Set.of("https://app.example"))
            .withLimits(new WireServerOptions.Limits(1 << 20, 7));

    assertThat(changed)
        .isEqualTo(
            new WireServerOptions(
                "k",
                4096,
                Path.of("/tmp/k.p12"),
                "pw",
                false,
                java.util.Set.of("https://app.example"),
                new WireServerOptions.Limits(1 << 20, 7)));
    assertThat(defaults).isEqualTo(WireServerOptions.defaults());
  }

  @Test
  void withTls_nullKeyStore_nullPointerNamingIt() {
    assertThatNullPointerException()
        .isThrownBy(() -> WireServerOptions.defaults().withTls(null, "pw"))
        .withMessage("keyStore");
  }

  @Test
  void toString_secretKeyAndPassword_notShown() {
    String text =
        WireServerOptions.defaults()
            .withSecretKey("hunter2")
            .withTls(Path.of("/tmp/k.p12"), "pa55word")
            .toString();

    assertThat(text).doesNotContain("hunter2").doesNotContain("pa55word").contains("***");
  }
}
