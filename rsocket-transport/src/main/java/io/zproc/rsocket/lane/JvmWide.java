package io.zproc.rsocket.lane;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lane's only JVM-wide state; everything else belongs to a {@link LaneClient}.
 *
 * <ul>
 *   <li>{@link #SPINNING}: polling burns a core, and a machine has few; whatever the number of
 *       clients, at most one caller of this JVM polls at a time, the others sleep in their
 *       selector.
 *   <li>{@link #THREADS}: thread names are seen JVM-wide (thread dumps, tests); the number makes
 *       each lane thread's name unique.
 * </ul>
 */
final class JvmWide {
  private JvmWide() {}

  /** Whether a caller of this JVM is polling a lane connection for its reply. */
  static final AtomicBoolean SPINNING = new AtomicBoolean();

  /** Numbers the lanes' threads ({@code zproc-lane-N}, {@code zproc-lane-wait-N}). */
  static final AtomicInteger THREADS = new AtomicInteger();
}
