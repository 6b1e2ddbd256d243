package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.Snapshot;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.KeyTest;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code when*} watchers of one {@link StateClient}, tested on the server with {@link Op#WHEN}:
 * {@code whenChange} and the key tests ({@link KeyTest}). A watcher tests the current state, then
 * waits on the server for the first later state that passes; a dropped connection resumes the wait
 * after the version tested, so no state is skipped.
 */
final class WhenClient {
  private final StateClient client;

  WhenClient(StateClient client) {
    this.client = client;
  }

  /** The next change by another client touching one of {@code keys} (none: any key). */
  Mono<Snapshot> change(String... keys) {
    Objects.requireNonNull(keys, "keys");
    for (String key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
    }
    ObjectNode args = client.args();
    args.put(Fields.IS, KeyTest.ANY_CHANGE);
    args.put(Fields.EXCLUDE, client.id());
    if (keys.length > 0) {
      ArrayNode k = args.putArray(Fields.KEYS);
      for (String key : keys) {
        k.add(key);
      }
    }
    boolean live = client.isLive();
    StateClient.Cursor cursor = client.cursor();
    return OpenStreams.mono(
        streams -> {
          // Live, or a buffered cursor that could not be set (its first request failed): from
          // now.
          Mono<JsonNode> reply =
              live
                  ? whenServer(args, streams)
                  : cursor
                      .get()
                      .flatMap(
                          after ->
                              after < 0
                                  ? whenServer(args, streams)
                                  : waitAfter(args, after, streams));
          return reply.map(
              element -> {
                Replies.Answer answer = Replies.Answer.decode(element);
                if (!live) {
                  cursor.advance(Change.versionOf(Objects.requireNonNull(answer.change())));
                }
                return StateClient.toSnapshot(answer.state());
              });
        });
  }

  /**
   * A {@link Op#WHEN} test on the server: tests the current state (one round trip), then, unless it
   * passed, waits on the server for the first later state that passes. The wait resumes after the
   * version tested if the connection drops, so no state is skipped.
   */
  private Mono<JsonNode> whenServer(ObjectNode args, OpenStreams streams) {
    // Where the transport can send progress (the lane, the direct path), the server sends the
    // version it tested as progress and goes on waiting: one request. Elsewhere it answers with
    // that version, and a second request waits. Either way, a dropped connection resumes the wait
    // after the version tested, or tests again if none came.
    AtomicLong tested = new AtomicLong(-1);
    // the epoch of the server that tested it: a restarted server refuses the resumed wait
    AtomicLong epoch = new AtomicLong();
    ObjectNode first = args.deepCopy();
    first.put(Fields.PROGRESS, true);
    Consumer<JsonNode> progress =
        node -> {
          Replies.Pending pending = Replies.Pending.decode(node);
          if (pending != null) {
            tested.set(pending.at());
            epoch.set(pending.epoch());
          }
        };
    return Flux.defer(
            () -> {
              long at = tested.get();
              ObjectNode request = first;
              if (at >= 0) {
                request = resumeArgs(args, at, epoch.get());
              }
              return client.await(request, progress);
            })
        .transform(streams::track)
        .retryWhen(StateClient.reconnecting())
        .next()
        .flatMap(
            reply -> {
              Replies.Pending pending = Replies.Pending.decode(reply);
              return pending == null
                  ? Mono.just(reply)
                  : tracked(resumeArgs(args, pending.at(), pending.epoch()), streams);
            });
  }

  private Mono<JsonNode> waitAfter(ObjectNode args, long after, OpenStreams streams) {
    return tracked(resumeArgs(args, after, 0), streams);
  }

  /** A wait after a version of the server of {@code epoch} (0: unknown, unchecked). */
  private static ObjectNode resumeArgs(ObjectNode args, long after, long epoch) {
    ObjectNode again = args.deepCopy();
    again.put(Fields.AFTER, after);
    if (epoch != 0) {
      again.put(Fields.EPOCH, epoch);
    }
    return again;
  }

  private Mono<JsonNode> tracked(ObjectNode args, OpenStreams streams) {
    return client
        .await(args)
        .transform(streams::track)
        .retryWhen(StateClient.reconnecting())
        .next();
  }

  /** The first state, from now on, where the key's value passes the test. */
  Mono<Snapshot> key(String key, KeyTest test, @Nullable JsonNode value) {
    ObjectNode args = client.keyArgs(key);
    args.put(Fields.IS, test.wireName());
    if (value != null) {
      args.set(Fields.VALUE, value);
    }
    args.put(Fields.EXCLUDE, client.id());
    return OpenStreams.mono(
        streams ->
            whenServer(args, streams)
                .map(reply -> StateClient.toSnapshot(Replies.Answer.decode(reply).state())));
  }

  Mono<Snapshot> equal(String key, @Nullable Object value) {
    return key(key, KeyTest.EQUAL, Json.toTree(key, value));
  }

  Mono<Snapshot> notEqual(String key, @Nullable Object value) {
    return key(key, KeyTest.NOT_EQUAL, Json.toTree(key, value));
  }
}
