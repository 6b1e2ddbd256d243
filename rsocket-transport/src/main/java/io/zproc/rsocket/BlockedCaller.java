package io.zproc.rsocket;

import org.reactivestreams.Subscriber;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Whether a subscriber is a caller waiting for exactly one reply: the lane takes such calls on the
 * caller's own thread, and a reply from a server in the same JVM may reach it without a thread hop.
 *
 * <p>A caller that blocks says so with {@link #blocking}, and {@link #is} takes its word. For any
 * other caller (an application's own {@code block()}), {@link #is} recognises Reactor's blocking
 * subscribers by the names of their classes: the only place that knows them, pinned by
 * BlockedCallerTest.
 *
 * <p><b>Threading:</b> stateless, thread-safe.
 */
public final class BlockedCaller {
  private BlockedCaller() {}

  /** The context entry {@link #blocking} writes. */
  private static final Object KEY = BlockedCaller.class;

  private static final Context SAID = Context.of(KEY, Boolean.TRUE);

  /**
   * {@code reply}, subscribed by a caller that blocks for it: for a call site that subscribes it
   * once and blocks until it ends ({@code blocking(reply).block()}), with no other request of its
   * own in flight meanwhile. Every request {@code reply} makes, one after another, then takes the
   * way of a blocked caller without {@link #is} looking at the subscriber chain.
   */
  public static <T> Mono<T> blocking(Mono<T> reply) {
    return reply.contextWrite(SAID);
  }

  /**
   * Whether the caller subscribing with {@code s} blocks for exactly this reply: it said so with
   * {@link #blocking}, or {@code s} ends in one of Reactor's blocking subscribers ({@link
   * #detected}).
   *
   * @param s the subscriber a publisher is being subscribed with
   */
  public static boolean is(Subscriber<?> s) {
    return said(s) || detected(s);
  }

  /** Whether the caller subscribing with {@code s} said it blocks ({@link #blocking}). */
  public static boolean said(Subscriber<?> s) {
    return s instanceof CoreSubscriber && ((CoreSubscriber<?>) s).currentContext().hasKey(KEY);
  }

  /**
   * Whether {@code s} ends, through Reactor operators, in one of Reactor's blocking subscribers
   * ({@code block()}, {@code blockFirst()}, ...), with no operator on the way that could have other
   * requests in flight beside this one ({@code flatMap}, {@code merge}, {@code zip}, parallel
   * rails): a caller waiting for exactly this reply.
   *
   * @param s the subscriber a publisher is being subscribed with
   * @return true if a thread is (or is about to be) blocked waiting for what {@code s} gets
   */
  static boolean detected(Subscriber<?> s) {
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

  /** What a subscriber class means for {@link #detected}. */
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
