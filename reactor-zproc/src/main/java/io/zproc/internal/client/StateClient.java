package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.AtomicTask;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProcException;
import io.zproc.internal.Json;
import io.zproc.internal.Ops;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.internal.LaneHints;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** A {@link State}: builds requests for one namespace and turns replies into Java values. */
final class StateClient implements State {

  private final ClientContext context;
  private final String namespace;
  private final String id;
  private final boolean live;
  private final Cursor cursor;

  StateClient(ClientContext context, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    this.context = context;
    this.namespace = namespace;
    this.id = context.newStateId();
    this.live = false;
    this.cursor = new Cursor();
    ObjectNode args = args();
    // The buffered cursor starts now: ask the server for the namespace's version at once.
    Mono<Long> start =
        call(Ops.VERSION_OF, args).map(JsonNode::longValue).onErrorReturn(-1L).cache();
    cursor.start(start);
    start.subscribe();
  }

  /** A client whose buffered cursor starts at a known version. */
  StateClient(ClientContext context, String namespace, long cursor) {
    Objects.requireNonNull(namespace, "namespace");
    this.context = context;
    this.namespace = namespace;
    this.id = context.newStateId();
    this.live = false;
    this.cursor = new Cursor();
    this.cursor.start(Mono.just(cursor));
  }

  static ObjectNode nsArgs(String namespace) {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.put(Ops.NS, namespace);
    return args;
  }

  private StateClient(StateClient of, boolean live) {
    this.context = of.context;
    this.namespace = of.namespace;
    this.id = of.id;
    this.live = live;
    this.cursor = of.cursor;
  }

  /**
   * The buffered cursor: the version after which this client's whenChange looks. Starts at the
   * namespace's version when the client was made; only moves forward.
   */
  private static final class Cursor {
    private volatile Mono<Long> start = Mono.just(0L);
    private final AtomicLong moved = new AtomicLong(-1);

    void start(Mono<Long> version) {
      this.start = version;
    }

    Mono<Long> get() {
      return start.map(v -> Math.max(v, moved.get()));
    }

    void advance(long version) {
      moved.accumulateAndGet(version, Math::max);
    }
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public State namespace(String other) {
    return new StateClient(context, other);
  }

  @Override
  public Mono<Object> get(String key) {
    ObjectNode args = keyArgs(key);
    return call(Ops.GET, args).mapNotNull(Json::toJava);
  }

  @Override
  public <T> Mono<T> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    ObjectNode args = keyArgs(key);
    return call(Ops.GET, args).mapNotNull(node -> Json.toType(key, node, type));
  }

  @Override
  public Mono<Void> put(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.PUT, args).then();
  }

  /** Stores a value and emits the previous one (for the Map view). */
  Mono<Object> putAndGet(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    args.put(Ops.RETURN_PREVIOUS, true);
    return call(Ops.PUT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Object> remove(String key) {
    return call(Ops.REMOVE, mutation(key)).mapNotNull(Json::toJava);
  }

  Mono<Boolean> removeIf(String key, @Nullable Object expected) {
    ObjectNode args = mutation(key);
    args.set(Ops.EXPECTED, Json.toTree(key, expected));
    return call(Ops.REMOVE_IF, args).map(JsonNode::booleanValue);
  }

  Mono<Object> replace(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.REPLACE, args).mapNotNull(Json::toJava);
  }

  Mono<Boolean> replaceIf(String key, @Nullable Object expected, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Ops.EXPECTED, Json.toTree(key, expected));
    args.set(Ops.VALUE, Json.toTree(key, value));
    return call(Ops.REPLACE_IF, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Void> putAll(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Ops.MAP, Json.toTree(values));
    return call(Ops.PUT_ALL, args).then();
  }

  @Override
  public Mono<Object> putIfAbsent(String key, @Nullable Object value) {
    return putIfAbsent(key, value, false);
  }

  Mono<Object> putIfAbsent(String key, @Nullable Object value, boolean nullIsAbsent) {
    ObjectNode args = mutation(key);
    args.set(Ops.VALUE, Json.toTree(key, value));
    if (nullIsAbsent) {
      args.put(Ops.NULL_IS_ABSENT, true);
    }
    return call(Ops.PUT_IF_ABSENT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Map.Entry<String, Object>> popItem() {
    return call(Ops.POP_ITEM, mutation())
        .map(
            node ->
                new AbstractMap.SimpleImmutableEntry<>(
                    node.get(Ops.KEY).textValue(), Json.toJava(node.get(Ops.VALUE))));
  }

  @Override
  public Mono<Boolean> containsKey(String key) {
    return call(Ops.CONTAINS_KEY, keyArgs(key)).map(JsonNode::booleanValue);
  }

  Mono<Boolean> containsValue(@Nullable Object value) {
    ObjectNode args = args();
    args.set(Ops.VALUE, Json.toTree("(value)", value));
    return call(Ops.CONTAINS_VALUE, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Integer> size() {
    return call(Ops.SIZE, args()).map(JsonNode::intValue);
  }

  @Override
  public Mono<Void> clear() {
    return call(Ops.CLEAR, mutation()).then();
  }

  @Override
  public Mono<Boolean> drop() {
    return call(Ops.DROP, args()).map(JsonNode::asBoolean);
  }

  @Override
  public Mono<Void> set(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Ops.MAP, Json.toTree(values));
    return call(Ops.SET, args).then();
  }

  @Override
  public Mono<Snapshot> snapshot() {
    return call(Ops.SNAPSHOT, args()).map(StateClient::toSnapshot);
  }

  static Snapshot toSnapshot(JsonNode reply) {
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = reply.get(Ops.MAP).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      values.put(e.getKey(), Json.toJava(e.getValue()));
    }
    return new SnapshotImpl(values, reply.get(Ops.VERSION).longValue());
  }

  @Override
  public Mono<Long> increment(String key, long delta) {
    ObjectNode args = mutation(key);
    args.put(Ops.DELTA, delta);
    return call(Ops.INCREMENT, args).map(JsonNode::longValue);
  }

  @Override
  public ConcurrentMap<String, Object> asMap() {
    return new MapView(this);
  }

  private Mono<JsonNode> call(String op, ObjectNode args) {
    return context.call(new WireRequest(op, args));
  }

  private ObjectNode args() {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.put(Ops.NS, namespace);
    return args;
  }

  private ObjectNode keyArgs(String key) {
    Objects.requireNonNull(key, "key");
    ObjectNode args = args();
    args.put(Ops.KEY, key);
    return args;
  }

  private ObjectNode mutation() {
    ObjectNode args = args();
    args.put(Ops.ORIGIN, id);
    return args;
  }

  private ObjectNode mutation(String key) {
    ObjectNode args = keyArgs(key);
    args.put(Ops.ORIGIN, id);
    return args;
  }

  @Override
  public String toString() {
    return "State[" + namespace + ", id=" + id + "]";
  }

  @Override
  public <R> Mono<R> atomic(AtomicTask<R> task) {
    Objects.requireNonNull(task, "task");
    return Mono.defer(() -> begin(task, 1));
  }

  /**
   * Waits for the namespace's atomic lock (a queue on the server, so contending clients take turns
   * instead of conflicting), then runs the task on the state that came with it.
   */
  private <R> Mono<R> begin(AtomicTask<R> task, int attempt) {
    return call(Ops.BEGIN, args())
        .flatMap(granted -> attempt(task, granted, granted.path(Ops.TOKEN).asLong(0), attempt));
  }

  private <R> Mono<R> attempt(AtomicTask<R> task, JsonNode snapshot, long token, int attempt) {
    long base = snapshot.get(Ops.VERSION).longValue();
    LinkedHashMap<String, JsonNode> original = new LinkedHashMap<>();
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    snapshot
        .get(Ops.MAP)
        .fields()
        .forEachRemaining(
            e -> {
              original.put(e.getKey(), e.getValue());
              copy.put(e.getKey(), Json.toJava(e.getValue()));
            });
    TrackingMap map = new TrackingMap(copy);
    R result;
    try {
      result = task.apply(map);
    } catch (Throwable t) {
      Exceptions.throwIfJvmFatal(t);
      abort(token);
      return Mono.error(t);
    }
    ObjectNode args = mutation();
    args.put(Ops.BASE, base);
    if (token != 0) {
      args.put(Ops.TOKEN, token);
    }
    if (map.readAll()) {
      args.put(Ops.READ_ALL, true);
    } else {
      ArrayNode reads = args.putArray(Ops.READS);
      map.touched().forEach(reads::add);
    }
    ObjectNode puts = args.putObject(Ops.MAP);
    ArrayNode removes = args.putArray(Ops.REMOVES);
    try {
      for (Map.Entry<String, Object> e : map.data().entrySet()) {
        JsonNode value = Json.toTree(e.getKey(), e.getValue());
        JsonNode before = original.get(e.getKey());
        if (before == null
            || !Json.equal(before, value)
            || before.getNodeType() != value.getNodeType()) {
          puts.set(e.getKey(), value);
        }
      }
    } catch (RuntimeException e) {
      abort(token);
      return Mono.error(e);
    }
    for (String key : original.keySet()) {
      if (!map.data().containsKey(key)) {
        removes.add(key);
      }
    }
    return call(Ops.COMMIT, args)
        .flatMap(
            reply -> {
              if (reply.get("ok").booleanValue()) {
                return Mono.justOrEmpty(result);
              }
              if (reply.path("held").asBoolean(false)) {
                // Still this client's turn: run again at once on the fresh state.
                return attempt(task, reply.get("snap"), token, attempt + 1);
              }
              return begin(task, attempt + 1);
            });
  }

  /** Gives the atomic lock back after a task failed, so the next waiter need not wait it out. */
  private void abort(long token) {
    if (token == 0) {
      return;
    }
    ObjectNode args = args();
    args.put(Ops.TOKEN, token);
    call(Ops.ABORT, args).subscribe(null, e -> {});
  }

  @Override
  public Flux<StateChange> changes() {
    return OpenStreams.flux(
            streams ->
                call(Ops.VERSION_OF, args())
                    .flatMapMany(v -> rawChanges(v.longValue(), false, null, streams)))
        .map(Change::new);
  }

  @Override
  public Flux<StateChange> changes(long afterVersion) {
    if (afterVersion < 0) {
      throw new IllegalArgumentException(
          "afterVersion must be >= 0 (0 replays from the first change), got " + afterVersion);
    }
    return OpenStreams.flux(streams -> rawChanges(afterVersion, false, null, streams))
        .map(Change::new);
  }

  /**
   * The raw change events after a version, resuming after the last delivered one when the
   * connection drops; each stream opened is registered with {@code streams}.
   */
  private Flux<JsonNode> rawChanges(
      long after, boolean excludeSelf, String @Nullable [] keys, OpenStreams streams) {
    AtomicLong last = new AtomicLong(after);
    // the run of the server the last version belongs to: a restarted server ends the stream
    AtomicLong epoch = new AtomicLong();
    return Flux.defer(
            () -> {
              ObjectNode args = args();
              args.put(Ops.AFTER, last.get());
              long ep = epoch.get();
              if (ep != 0) {
                args.put(Ops.EPOCH, ep);
              }
              if (excludeSelf) {
                args.put(Ops.EXCLUDE, id);
              }
              return context.stream(new WireRequest(Ops.WATCH, args));
            })
        .transform(streams::track)
        .doOnNext(
            event -> {
              last.set(Change.versionOf(event));
              JsonNode ep = event.get(Ops.EPOCH);
              if (ep != null && ep.canConvertToLong()) {
                epoch.set(ep.longValue());
              }
            })
        .retryWhen(reconnecting());
  }

  private static Retry reconnecting() {
    return Retry.backoff(8, Duration.ofMillis(20))
        .maxBackoff(Duration.ofSeconds(1))
        .transientErrors(true)
        .filter(
            e ->
                e instanceof ZProcException
                    && WireException.CONNECTION_CLOSED.equals(((ZProcException) e).code()))
        .onRetryExhaustedThrow((spec, signal) -> signal.failure());
  }

  @Override
  public Mono<Snapshot> whenChange(String... keys) {
    Objects.requireNonNull(keys, "keys");
    for (String key : keys) {
      Objects.requireNonNull(key, "keys must not contain null");
    }
    ObjectNode args = args();
    args.put(Ops.IS, "change");
    args.put(Ops.EXCLUDE, id);
    if (keys.length > 0) {
      ArrayNode k = args.putArray(Ops.KEYS);
      for (String key : keys) {
        k.add(key);
      }
    }
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
                if (!live) {
                  cursor.advance(Change.versionOf(element.get("change")));
                }
                return toSnapshot(element.get(Ops.WITH_SNAPSHOT));
              });
        });
  }

  /**
   * A {@link Ops#WHEN} test on the server: tests the current state (one round trip), then, unless
   * it passed, waits on the server for the first later state that passes. The wait resumes after
   * the version tested if the connection drops, so no state is skipped.
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
    first.put(Ops.PROGRESS, true);
    Consumer<JsonNode> progress =
        node -> {
          JsonNode at = node.get(Ops.AT);
          if (at != null && at.canConvertToLong()) {
            tested.set(at.longValue());
            epoch.set(node.path(Ops.EPOCH).asLong(0));
          }
        };
    return Flux.defer(
            () -> {
              long at = tested.get();
              ObjectNode request = first;
              if (at >= 0) {
                request = resumeArgs(args, at, epoch.get());
              }
              return context.await(new WireRequest(Ops.WHEN, request));
            })
        .transform(streams::track)
        .retryWhen(reconnecting())
        .next()
        .contextWrite(reactor.util.context.Context.of(LaneHints.PROGRESS, progress))
        .flatMap(
            reply -> {
              JsonNode at = reply.get(Ops.AT);
              return at == null
                  ? Mono.just(reply)
                  : tracked(
                      resumeArgs(args, at.longValue(), reply.path(Ops.EPOCH).asLong(0)), streams);
            });
  }

  private Mono<JsonNode> waitAfter(ObjectNode args, long after, OpenStreams streams) {
    return tracked(resumeArgs(args, after, 0), streams);
  }

  /** A wait after a version of the server of {@code epoch} (0: unknown, unchecked). */
  private static ObjectNode resumeArgs(ObjectNode args, long after, long epoch) {
    ObjectNode again = args.deepCopy();
    again.put(Ops.AFTER, after);
    if (epoch != 0) {
      again.put(Ops.EPOCH, epoch);
    }
    return again;
  }

  private Mono<JsonNode> tracked(ObjectNode args, OpenStreams streams) {
    return context
        .await(new WireRequest(Ops.WHEN, args))
        .transform(streams::track)
        .retryWhen(reconnecting())
        .next();
  }

  /** A {@code when*} watcher of one key, tested on the server. */
  private Mono<Snapshot> whenKey(String key, String kind, @Nullable JsonNode value) {
    ObjectNode args = keyArgs(key);
    args.put(Ops.IS, kind);
    if (value != null) {
      args.set(Ops.VALUE, value);
    }
    args.put(Ops.EXCLUDE, id);
    return OpenStreams.mono(
        streams ->
            whenServer(args, streams).map(reply -> toSnapshot(reply.get(Ops.WITH_SNAPSHOT))));
  }

  @Override
  public Mono<Snapshot> when(Predicate<? super Snapshot> test) {
    Objects.requireNonNull(test, "test");
    return watch(replica -> test.test(replica.snapshot()));
  }

  @Override
  public Mono<Snapshot> whenEqual(String key, @Nullable Object value) {
    return whenKey(key, "eq", Json.toTree(key, value));
  }

  @Override
  public Mono<Snapshot> whenNotEqual(String key, @Nullable Object value) {
    return whenKey(key, "ne", Json.toTree(key, value));
  }

  @Override
  public Mono<Snapshot> whenNone(String key) {
    Objects.requireNonNull(key, "key");
    return whenKey(key, "none", null);
  }

  @Override
  public Mono<Snapshot> whenNotNone(String key) {
    Objects.requireNonNull(key, "key");
    return whenKey(key, "notnone", null);
  }

  @Override
  public Mono<Snapshot> whenAvailable(String key) {
    Objects.requireNonNull(key, "key");
    return whenKey(key, "avail", null);
  }

  /**
   * Every state that passes the test: the current one, then the state after each later change by
   * another client, in order. For the {@code callWhen*} processes.
   */
  Flux<Snapshot> hits(Predicate<Replica> test) {
    return OpenStreams.flux(
        streams ->
            call(Ops.SNAPSHOT, args())
                .flatMapMany(
                    snapshot -> {
                      Replica replica = new Replica(snapshot);
                      Flux<Snapshot> first =
                          test.test(replica) ? Flux.just(replica.snapshot()) : Flux.empty();
                      return first.concatWith(
                          rawChanges(replica.version(), false, null, streams)
                              .filter(
                                  event -> {
                                    replica.apply(event);
                                    return !id.equals(event.get(Ops.ORIGIN).textValue())
                                        && test.test(replica);
                                  })
                              .map(event -> replica.snapshot()));
                    }));
  }

  /**
   * Tests the current state, then the state after every later change (in order, none skipped) made
   * by another client; completes with the first state that passes.
   */
  private Mono<Snapshot> watch(Predicate<Replica> test) {
    return OpenStreams.mono(
        streams ->
            call(Ops.SNAPSHOT, args())
                .flatMap(
                    snapshot -> {
                      Replica replica = new Replica(snapshot);
                      if (test.test(replica)) {
                        return Mono.just(replica.snapshot());
                      }
                      return rawChanges(replica.version(), false, null, streams)
                          .filter(
                              event -> {
                                replica.apply(event);
                                return !id.equals(event.get(Ops.ORIGIN).textValue())
                                    && test.test(replica);
                              })
                          .next()
                          .map(event -> replica.snapshot());
                    }));
  }

  @Override
  public State live() {
    return live ? this : new StateClient(this, true);
  }

  @Override
  public Mono<Void> goLive() {
    return call(Ops.VERSION_OF, args()).doOnNext(v -> cursor.advance(v.longValue())).then();
  }
}
