package io.zproc.rsocket;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The lane's default settings, read once from system properties: the only place the {@code
 * io.zproc.lane*} properties are read. {@link WireClientOptions#defaults()} and {@link
 * WireServerOptions#defaults()} start from these; their withers override them.
 *
 * <ul>
 *   <li>{@code io.zproc.lane} ({@code true}): whether same-host clients of a {@code tcp://} server
 *       open the lane; {@code false} turns it off.
 *   <li>{@code io.zproc.lane.spinMicros} (50): how long one caller at a time polls for its reply
 *       before sleeping; 0 turns polling off.
 *   <li>{@code io.zproc.lane.serverSpinMicros} (100): how long the lane server's event loop polls
 *       after answering a request that had waited; 0 turns it off.
 * </ul>
 */
final class LaneDefaults {
  private LaneDefaults() {}

  /** Whether clients open the lane ({@code io.zproc.lane}). */
  static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("io.zproc.lane", "true"));

  /** The client's polling window ({@code io.zproc.lane.spinMicros}). */
  static final Duration CLIENT_SPIN = micros("io.zproc.lane.spinMicros", 50);

  /** The lane server's polling window ({@code io.zproc.lane.serverSpinMicros}). */
  static final Duration SERVER_SPIN = micros("io.zproc.lane.serverSpinMicros", 100);

  /** A window in microseconds; a negative one, as before, means none. */
  private static Duration micros(String property, long fallback) {
    return Duration.ofNanos(
        TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong(property, fallback))));
  }
}
