package io.zproc.rsocket.internal;

import org.reactivestreams.Subscriber;
import reactor.core.Scannable;

/**
 * Tells whether a subscriber is a caller waiting for exactly one reply: the lane takes such calls
 * on the caller's own thread, and a reply from a server in the same JVM may reach it without a
 * thread hop.
 *
 * <p><b>Threading:</b> stateless, thread-safe.
 */
public final class Blocking {
  private Blocking() {}

  /**
   * Whether {@code s} ends, through Reactor operators, in one of Reactor's blocking subscribers
   * ({@code block()}, {@code blockFirst()}, ...), with no operator on the way that could have other
   * requests in flight beside this one ({@code flatMap}, {@code merge}, {@code zip}, parallel
   * rails): a caller waiting for exactly this reply.
   *
   * @param s the subscriber a publisher is being subscribed with
   * @return true if a thread is (or is about to be) blocked waiting for what {@code s} gets
   */
  public static boolean downstream(Subscriber<?> s) {
    Object current = s;
    for (int depth = 0; depth < 24 && current != null; depth++) {
      Kind kind = KINDS.get(current.getClass());
      if (kind != Kind.PASS_THROUGH) {
        return kind == Kind.BLOCKING;
      }
      current = Scannable.from(current).scanUnsafe(Scannable.Attr.ACTUAL);
    }
    return false;
  }

  /** What a subscriber class means for {@link #downstream}. */
  private enum Kind {
    BLOCKING,
    CONCURRENT,
    PASS_THROUGH
  }

  /** Each subscriber class, classified once by its name (this runs for every request). */
  private static final ClassValue<Kind> KINDS =
      new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
          String name = type.getName();
          if (name.startsWith("reactor.core.publisher.Blocking")) {
            return Kind.BLOCKING;
          }
          boolean concurrent =
              (name.contains("FlatMap") && !name.startsWith("reactor.core.publisher.MonoFlatMap$"))
                  || name.contains("Merge")
                  || name.contains("Zip")
                  || name.contains("MonoWhen")
                  || name.contains("Parallel");
          return concurrent ? Kind.CONCURRENT : Kind.PASS_THROUGH;
        }
      };
}
