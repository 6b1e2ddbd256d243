package io.zproc.rsocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectRegistryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::"})
  void isLoopback_loopbackOrWildcard_true(String host) {
    assertThat(DirectRegistry.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "10.0.0.1", "192.168.1.1", "fe80::1"})
  void isLoopback_otherHost_false(String host) {
    assertThat(DirectRegistry.isLoopback(host)).isFalse();
  }
}
