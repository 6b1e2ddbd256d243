package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ServerOptions;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ServerOptions.store}: its checks, its default, and the {@code io.zproc.store} property.
 */
class StoreOptionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mem",
        "foo://localhost:6379",
        "http://localhost:6379",
        "redis://",
        "redis:///0",
        "redis://localhost:0",
        "redis://localhost:6379/zero",
        "redis://localhost:6379?db=1",
        "redis://local host:6379"
      })
  void store_malformedOrUnknown_isRefusedNamingTheOption(String uri) {
    assertThatThrownBy(() -> ServerOptions.defaults().store(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ServerOptions.store: ")
        .hasMessageContaining("redis://host:port");
  }

  @Test
  void store_password_isNotShownInMessages() {
    assertThatThrownBy(() -> ServerOptions.defaults().store("redis://:s3cret@localhost:6379/x"))
        .hasMessageNotContaining("s3cret");
    assertThat(ServerOptions.defaults().store("redis://:s3cret@localhost:6379").toString())
        .doesNotContain("s3cret");
  }

  @Test
  void store_byDefault_isMemory_andTwoMemoryServersShareNothing() {
    assertThat(ServerOptions.defaults().store()).isEqualTo("memory");
    try (ZProcServer one = ZProcServer.start("tcp://127.0.0.1:0");
        ZProcServer two = ZProcServer.start("tcp://127.0.0.1:0");
        ZProc a = ZProc.connect(one.address(), ZProcOptions.defaults().spareProcesses(0));
        ZProc b = ZProc.connect(two.address(), ZProcOptions.defaults().spareProcesses(0))) {
      a.state().put("k", 1).block(WAIT);
      assertThat(b.state().get("k").block(WAIT)).isNull();
      assertThat(a.state().get("k").block(WAIT)).isEqualTo(1);
    }
  }
}
