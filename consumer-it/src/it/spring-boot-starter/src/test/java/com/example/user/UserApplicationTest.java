package com.example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.zproc.State;
import io.zproc.ZProc;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

/** The application starts with the starter's beans: a ZProc, its State, its health and meters. */
@SpringBootTest(properties = "zproc.namespace=users")
class UserApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired ZProc zproc;
  @Autowired State state;

  @Autowired
  @Qualifier("zprocHealthIndicator")
  ReactiveHealthIndicator health;

  @Autowired MeterRegistry registry;

  @Test
  void theZProcBean_putsAndReads() {
    assertEquals("users", zproc.namespace());
    assertTrue(zproc.address().startsWith("tcp://127.0.0.1:"), zproc.address());
    state.put("greeting", "hello").block(WAIT);
    assertEquals("hello", zproc.state().get("greeting").block(WAIT));
    assertEquals(3L, state.increment("visits", 3).block(WAIT));
  }

  @Test
  void health_isUp() {
    Health h = health.health().block(WAIT);
    assertNotNull(h);
    assertEquals(Status.UP, h.getStatus());
    assertEquals(zproc.address(), h.getDetails().get("address"));
  }

  @Test
  void theMeters_areBound() {
    zproc.state().put("k", 1).block(WAIT);
    assertTrue(registry.get("zproc.server.connections").gauge().value() >= 1);
    assertEquals(
        1.0,
        registry.get("zproc.server.journal.changes").tag("namespace", "users").gauge().value(),
        "journal of namespace users: " + registry.getMeters().size() + " meters");
  }
}
