package io.zproc.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zproc.ServerOptions;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcOptions;
import io.zproc.ZProcServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The system property {@code io.zproc.store}: the store of servers started without one. */
class StorePropertyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension(false);

  @Test
  void storeProperty_setsTheDefault_forServersStartedWithoutOne() {
    String old = System.getProperty(ServerOptions.STORE_PROPERTY);
    System.setProperty(ServerOptions.STORE_PROPERTY, REDIS.uri());
    try (ZProcServer byProperty = ZProcServer.start("tcp://127.0.0.1:0");
        ZProcServer explicit =
            ZProcServer.start("tcp://127.0.0.1:0", ServerOptions.defaults().store(REDIS.uri()));
        ZProc a = ZProc.connect(byProperty.address(), options());
        ZProc b = ZProc.connect(explicit.address(), options())) {
      assertThat(ServerOptions.defaults().store()).isEqualTo(REDIS.uri());
      State s = a.state();
      s.put("shared", "yes").block(WAIT);
      assertThat(b.state().get("shared").block(WAIT)).isEqualTo("yes");
      // an explicit store wins over the property
      assertThat(ServerOptions.defaults().store("memory").store()).isEqualTo("memory");
    } finally {
      restore(old);
    }
  }

  @Test
  void storeProperty_malformed_isRefusedNamingTheProperty() {
    String old = System.getProperty(ServerOptions.STORE_PROPERTY);
    System.setProperty(ServerOptions.STORE_PROPERTY, "redis//nohost");
    try {
      assertThatThrownBy(() -> ZProcServer.start("tcp://127.0.0.1:0"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the system property io.zproc.store");
    } finally {
      restore(old);
    }
  }

  private static ZProcOptions options() {
    return ZProcOptions.defaults().namespace("by-property").spareProcesses(0);
  }

  private static void restore(String old) {
    if (old == null) {
      System.clearProperty(ServerOptions.STORE_PROPERTY);
    } else {
      System.setProperty(ServerOptions.STORE_PROPERTY, old);
    }
  }
}
