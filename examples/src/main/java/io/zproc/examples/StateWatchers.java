package io.zproc.examples;

import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * The original's {@code state_watchers.py}: the ways of watching the state, each in turn. Every
 * watcher is a {@link Mono} that completes with the state that passed: it is subscribed before the
 * change that wakes it (the line "waiting" shows it has not fired), then the writer makes the
 * change.
 *
 * <pre>
 * state.when(lambda s: s.get("flag1") is True)
 * state.when_equal("flag1", True)
 * state.when_not_equal("flag1", False)
 * state.when_change()
 * state.when_change("flag2")
 * </pre>
 *
 * <p>The original waits in six child processes. A waiting {@code Mono} holds no thread, so here one
 * JVM holds them all: a second client of the namespace watches, and the context's own client writes
 * (a client's watchers are not woken by its own changes). {@code whenNone}, {@code whenNotNone} and
 * {@code whenAvailable} are shown too.
 */
public final class StateWatchers {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private StateWatchers() {}

  /**
   * Runs the example on an embedded server of its own.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    try (ZProc ctx = ZProc.start()) {
      run(ctx);
    }
  }

  /**
   * Runs the example in the context's namespace, removing the keys it uses ({@code flag1}, {@code
   * flag2}, {@code flag3}) first, and prints each watcher as it fires. Blocks the calling thread
   * for as long as the watchers take (each at most 30 s).
   *
   * @param ctx the context whose namespace is used; left open
   */
  public static void run(ZProc ctx) {
    State writer = ctx.state();
    writer.remove("flag1").then(writer.remove("flag2")).then(writer.remove("flag3")).block();
    State watcher = ctx.state(ctx.namespace()); // another client: its cursor starts now

    // Each is tested on the current state first, then on every later state. whenNotEqual needs
    // the key present with another value: absent does not count.
    Mono<Snapshot> notEqualFalse =
        watch(".whenNotEqual(flag1, false)", "flag1", watcher.whenNotEqual("flag1", false));
    Mono<Snapshot> predicate =
        watch(
            ".when(s -> s.get(flag1) == true)",
            "flag1",
            watcher.when(s -> Boolean.TRUE.equals(s.get("flag1"))));
    Mono<Snapshot> equal =
        watch(".whenEqual(flag1, true)", "flag1", watcher.whenEqual("flag1", true));
    Mono<Snapshot> available =
        watch(".whenAvailable(flag1)", "flag1", watcher.whenAvailable("flag1"));
    System.out.println("\nmain: I set flag1 = false");
    writer.put("flag1", false).block();
    available.block(WAIT); // flag1 = false: the others still wait

    System.out.println("\nmain: I set flag1 = true");
    writer.put("flag1", true).block();
    predicate.block(WAIT);
    equal.block(WAIT);
    notEqualFalse.block(WAIT);

    // Buffered: the first change after the watcher's cursor (made with the watcher), whenever it is
    // subscribed: flag1 = false. Each whenChange moves the cursor to the change it returns.
    Mono<Snapshot> anyChange = watch(".whenChange()", "flag1", watcher.whenChange());
    anyChange.block(WAIT);
    Mono<Snapshot> flag2Change = watch(".whenChange(flag2)", "flag2", watcher.whenChange("flag2"));
    System.out.println("\nmain: I set flag2 = true");
    writer.put("flag2", true).block();
    flag2Change.block(WAIT);

    Mono<Snapshot> none = watch(".whenNone(flag3)", "flag3", watcher.whenNone("flag3"));
    Mono<Snapshot> notNone = watch(".whenNotNone(flag3)", "flag3", watcher.whenNotNone("flag3"));
    System.out.println("\nmain: I set flag3 = null");
    writer.put("flag3", null).block();
    none.block(WAIT);
    System.out.println("\nmain: I set flag3 = \"x\"");
    writer.put("flag3", "x").block();
    notNone.block(WAIT);
  }

  /**
   * Subscribes to a watcher at once, printing when it fires; returns it, cached, to wait for it.
   */
  private static Mono<Snapshot> watch(String name, String key, Mono<Snapshot> watcher) {
    Mono<Snapshot> cached =
        watcher
            .doOnNext(
                snap ->
                    System.out.println(
                        name + " -> " + key + " = " + snap.get(key) + ", state " + snap))
            .cache();
    cached.subscribe();
    System.out.println(name + " waiting");
    return cached;
  }
}
