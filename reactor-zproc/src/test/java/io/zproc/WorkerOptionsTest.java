package io.zproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

  @Test
  void defaults_noKeyProcessorsNoPatternsNoTls() {
    WorkerOptions o = WorkerOptions.defaults();
    assertThat(o.secretKey()).isNull();
    assertThat(o.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(o.allowed()).isEmpty();
    assertThat(o.tls()).isFalse();
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void withers_areCopies_andAllowAppends() {
    WorkerOptions o =
        WorkerOptions.defaults()
            .secretKey("k")
            .slots(3)
            .allow("com.acme.**")
            .allow("org.example.Item", "!org.example.Bad")
            .tls(Path.of("ca.pem"));
    assertThat(o.secretKey()).isEqualTo("k");
    assertThat(o.slots()).isEqualTo(3);
    assertThat(o.allowed()).containsExactly("com.acme.**", "org.example.Item", "!org.example.Bad");
    assertThat(o.tls()).isTrue();
    assertThat(o.tlsTrust()).isEqualTo(Path.of("ca.pem"));
    assertThat(o.toString()).doesNotContain("k,").contains("***");
    assertThat(WorkerOptions.defaults().allowed()).isEmpty();
  }

  @Test
  void slots_outOfRange_refused() {
    assertThatThrownBy(() -> WorkerOptions.defaults().slots(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slots must be between 1 and 1024");
    assertThatThrownBy(() -> WorkerOptions.defaults().slots(1025))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allow_notOnePattern_refused() {
    assertThatThrownBy(() -> WorkerOptions.defaults().allow("a.*;b.*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a class pattern");
    assertThatThrownBy(() -> WorkerOptions.defaults().allow("maxdepth=5"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkerOptions.defaults().allow(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkerOptions.defaults().allow((String) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void connectTimeout_notPositive_refused() {
    assertThatThrownBy(() -> WorkerOptions.defaults().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout must be positive");
  }

  @Test
  void mapOptions_remote_isKeptByTheOtherWithers() {
    MapOptions o = MapOptions.defaults().remote(true).count(3).chunkSize(5).prefetch(7);
    assertThat(o.remote()).isTrue();
    assertThat(o.toString()).contains("remote");
    assertThat(MapOptions.defaults().remote()).isFalse();
    assertThat(o.remote(false).remote()).isFalse();
  }
}
