package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.KeyTest;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Every state that passes a test (the current one, then one per later change by another client,
 * none skipped), for the {@code callWhen*} processes.
 */
public final class Hits {
  private Hits() {}

  /** States passing a snapshot predicate. */
  public static Flux<Snapshot> when(State state, Predicate<? super Snapshot> test) {
    return client(state).hits(r -> test.test(r.snapshot()));
  }

  /** States where the key is present and equal to the value. */
  public static Flux<Snapshot> equal(State state, String key, @Nullable Object value) {
    return key(state, key, KeyTest.EQUAL, Json.toTree(key, value));
  }

  /** States where the key is present and not equal to the value. */
  public static Flux<Snapshot> notEqual(State state, String key, @Nullable Object value) {
    return key(state, key, KeyTest.NOT_EQUAL, Json.toTree(key, value));
  }

  /** States where the key is present and null. */
  public static Flux<Snapshot> none(State state, String key) {
    return key(state, key, KeyTest.NONE, null);
  }

  /** States where the key is present and not null. */
  public static Flux<Snapshot> notNone(State state, String key) {
    return key(state, key, KeyTest.NOT_NONE, null);
  }

  /** States where the key is present. */
  public static Flux<Snapshot> available(State state, String key) {
    return key(state, key, KeyTest.AVAILABLE, null);
  }

  /** States where the key's value passes the test, as the server's {@code when} tests it. */
  private static Flux<Snapshot> key(
      State state, String key, KeyTest test, @Nullable JsonNode expected) {
    Predicate<@Nullable JsonNode> passes = test.of(expected);
    return client(state).hits(r -> passes.test(r.raw(key)));
  }

  private static StateClient client(State state) {
    if (state instanceof StateClient) {
      return (StateClient) state;
    }
    throw new IllegalArgumentException("not a reactor-zproc State: " + state.getClass());
  }
}
