package io.zproc.internal.client;

import io.zproc.ProcessTask;
import io.zproc.Snapshot;
import io.zproc.SnapshotPredicate;
import io.zproc.State;
import io.zproc.WatchCallback;
import io.zproc.rsocket.BlockedCaller;
import java.io.Serializable;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * The tasks of the {@code callWhen*} processes: loop on a watcher, call back on every hit, until
 * the callback throws {@code ProcessExit}. They run in the child on its main thread, so the
 * callback may block.
 */
public final class Watchers {
  private Watchers() {}

  /** A serializable source of hits. */
  private interface HitSource extends Function<State, Flux<Snapshot>>, Serializable {}

  /** Calls back on every change (by another client) touching any of the keys. */
  public static ProcessTask<Void> onChange(WatchCallback callback, String... keys) {
    String[] watched = keys.clone();
    return state -> {
      for (; ; ) {
        Snapshot snapshot = BlockedCaller.blocking(state.whenChange(watched)).block();
        if (snapshot != null) {
          callback.accept(snapshot, state);
        }
      }
    };
  }

  public static ProcessTask<Void> when(SnapshotPredicate test, WatchCallback callback) {
    return loop(state -> Hits.when(state, test), callback);
  }

  public static ProcessTask<Void> equal(
      String key, @Nullable Object value, WatchCallback callback) {
    return loop(state -> Hits.equal(state, key, value), callback);
  }

  public static ProcessTask<Void> notEqual(
      String key, @Nullable Object value, WatchCallback callback) {
    return loop(state -> Hits.notEqual(state, key, value), callback);
  }

  public static ProcessTask<Void> none(String key, WatchCallback callback) {
    return loop(state -> Hits.none(state, key), callback);
  }

  public static ProcessTask<Void> notNone(String key, WatchCallback callback) {
    return loop(state -> Hits.notNone(state, key), callback);
  }

  public static ProcessTask<Void> available(String key, WatchCallback callback) {
    return loop(state -> Hits.available(state, key), callback);
  }

  private static ProcessTask<Void> loop(HitSource hits, WatchCallback callback) {
    return state -> {
      for (Snapshot snapshot : hits.apply(state).toIterable(1)) {
        callback.accept(snapshot, state);
      }
      return null;
    };
  }
}
