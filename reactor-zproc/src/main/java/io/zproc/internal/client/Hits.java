package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.internal.Json;
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
    JsonNode expected = Json.toTree(key, value);
    return client(state).hits(r -> r.contains(key) && Json.equal(r.raw(key), expected));
  }

  /** States where the key is present and not equal to the value. */
  public static Flux<Snapshot> notEqual(State state, String key, @Nullable Object value) {
    JsonNode expected = Json.toTree(key, value);
    return client(state).hits(r -> r.contains(key) && !Json.equal(r.raw(key), expected));
  }

  /** States where the key is present and null. */
  public static Flux<Snapshot> none(State state, String key) {
    return client(state).hits(r -> r.contains(key) && r.raw(key).isNull());
  }

  /** States where the key is present and not null. */
  public static Flux<Snapshot> notNone(State state, String key) {
    return client(state).hits(r -> r.contains(key) && !r.raw(key).isNull());
  }

  /** States where the key is present. */
  public static Flux<Snapshot> available(State state, String key) {
    return client(state).hits(r -> r.contains(key));
  }

  private static StateClient client(State state) {
    if (state instanceof StateClient) {
      return (StateClient) state;
    }
    throw new IllegalArgumentException("not a reactor-zproc State: " + state.getClass());
  }
}
