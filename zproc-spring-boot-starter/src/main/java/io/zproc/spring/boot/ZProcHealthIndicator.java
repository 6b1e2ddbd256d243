package io.zproc.spring.boot;

import io.zproc.ZProc;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The state server's health, by a {@link ZProc#ping()}: UP with the server's address, pid and the
 * context's namespace when it answers in time; DOWN with the error when it does not (a closed
 * context, a lost connection, no answer within the timeout). Shown as {@code zproc} under {@code
 * /actuator/health}.
 *
 * <p><b>Threading:</b> {@link #health()} never blocks; the ping is answered on a transport thread
 * (or, for an embedded server, on the subscribing thread). <b>Errors:</b> never errors: a failure
 * is a DOWN health.
 */
public class ZProcHealthIndicator implements ReactiveHealthIndicator {
  private final ZProc zproc;
  private final Duration timeout;

  /**
   * @param zproc the context whose server is pinged
   * @param timeout how long to wait for the answer; positive
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public ZProcHealthIndicator(ZProc zproc, Duration timeout) {
    this.zproc = Objects.requireNonNull(zproc, "zproc");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("zproc.health.timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
  }

  /**
   * Pings the server.
   *
   * @return emits UP (details: {@code address}, {@code namespace}, {@code pid}) or DOWN (details:
   *     {@code address}, {@code error}); never errors
   */
  @Override
  public Mono<Health> health() {
    return Mono.defer(zproc::ping)
        .timeout(timeout)
        .map(
            pid ->
                Health.up()
                    .withDetail("address", zproc.address())
                    .withDetail("namespace", zproc.namespace())
                    .withDetail("pid", pid)
                    .build())
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("the ping had no answer")))
        .onErrorResume(
            e ->
                Mono.just(
                    Health.down()
                        .withDetail("address", zproc.address())
                        .withDetail("error", describe(e))
                        .build()));
  }

  private String describe(Throwable e) {
    if (e instanceof TimeoutException) {
      return "no answer to a ping within " + timeout + " (zproc.health.timeout)";
    }
    return e.getClass().getName() + ": " + e.getMessage();
  }
}
