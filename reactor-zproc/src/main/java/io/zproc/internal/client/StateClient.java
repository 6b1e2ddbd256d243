package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.AtomicTask;
import io.zproc.ErrorCode;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.StateChange;
import io.zproc.ZProcException;
import io.zproc.internal.Json;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.KeyTest;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
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
  private final WhenClient whenClient = new WhenClient(this);

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
    Mono<Long> start = call(Op.VERSION, args).map(JsonNode::longValue).onErrorReturn(-1L).cache();
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
    args.put(Fields.NS, namespace);
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
  static final class Cursor {
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
    return call(Op.GET, args).mapNotNull(Json::toJava);
  }

  @Override
  public <T> Mono<T> get(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    ObjectNode args = keyArgs(key);
    return call(Op.GET, args).mapNotNull(node -> Json.toType(key, node, type));
  }

  @Override
  public Mono<Void> put(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Fields.VALUE, Json.toTree(key, value));
    return call(Op.PUT, args).then();
  }

  /** Stores a value and emits the previous one (for the Map view). */
  Mono<Object> putAndGet(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Fields.VALUE, Json.toTree(key, value));
    args.put(Fields.RETURN_PREVIOUS, true);
    return call(Op.PUT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Object> remove(String key) {
    return call(Op.REMOVE, mutation(key)).mapNotNull(Json::toJava);
  }

  Mono<Boolean> removeIf(String key, @Nullable Object expected) {
    ObjectNode args = mutation(key);
    args.set(Fields.EXPECTED, Json.toTree(key, expected));
    return call(Op.REMOVE_IF, args).map(JsonNode::booleanValue);
  }

  Mono<Object> replace(String key, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Fields.VALUE, Json.toTree(key, value));
    return call(Op.REPLACE, args).mapNotNull(Json::toJava);
  }

  Mono<Boolean> replaceIf(String key, @Nullable Object expected, @Nullable Object value) {
    ObjectNode args = mutation(key);
    args.set(Fields.EXPECTED, Json.toTree(key, expected));
    args.set(Fields.VALUE, Json.toTree(key, value));
    return call(Op.REPLACE_IF, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Void> putAll(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Fields.MAP, Json.toTree(values));
    return call(Op.PUT_ALL, args).then();
  }

  @Override
  public Mono<Object> putIfAbsent(String key, @Nullable Object value) {
    return putIfAbsent(key, value, false);
  }

  Mono<Object> putIfAbsent(String key, @Nullable Object value, boolean nullIsAbsent) {
    ObjectNode args = mutation(key);
    args.set(Fields.VALUE, Json.toTree(key, value));
    if (nullIsAbsent) {
      args.put(Fields.NULL_IS_ABSENT, true);
    }
    return call(Op.PUT_IF_ABSENT, args).mapNotNull(Json::toJava);
  }

  @Override
  public Mono<Map.Entry<String, Object>> popItem() {
    return call(Op.POP_ITEM, mutation())
        .map(
            node -> {
              Replies.Popped popped = Replies.Popped.decode(node);
              return new AbstractMap.SimpleImmutableEntry<>(
                  popped.key(), Json.toJava(popped.value()));
            });
  }

  @Override
  public Mono<Boolean> containsKey(String key) {
    return call(Op.CONTAINS_KEY, keyArgs(key)).map(JsonNode::booleanValue);
  }

  Mono<Boolean> containsValue(@Nullable Object value) {
    ObjectNode args = args();
    args.set(Fields.VALUE, Json.toTree("(value)", value));
    return call(Op.CONTAINS_VALUE, args).map(JsonNode::booleanValue);
  }

  @Override
  public Mono<Integer> size() {
    return call(Op.SIZE, args()).map(JsonNode::intValue);
  }

  @Override
  public Mono<Void> clear() {
    return call(Op.CLEAR, mutation()).then();
  }

  @Override
  public Mono<Boolean> drop() {
    return call(Op.DROP, args()).map(JsonNode::asBoolean);
  }

  @Override
  public Mono<Void> set(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    ObjectNode args = mutation();
    args.set(Fields.MAP, Json.toTree(values));
    return call(Op.SET, args).then();
  }

  @Override
  public Mono<Snapshot> snapshot() {
    return call(Op.SNAPSHOT, args()).map(StateClient::toSnapshot);
  }

  static Snapshot toSnapshot(JsonNode reply) {
    Replies.StateReply state = Replies.StateReply.decode(reply);
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = state.entries().fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      values.put(e.getKey(), Json.toJava(e.getValue()));
    }
    return new SnapshotImpl(values, state.version());
  }

  @Override
  public Mono<Long> increment(String key, long delta) {
    ObjectNode args = mutation(key);
    args.put(Fields.DELTA, delta);
    return call(Op.INCREMENT, args).map(JsonNode::longValue);
  }

  @Override
  public ConcurrentMap<String, Object> asMap() {
    return new MapView(this);
  }

  Mono<JsonNode> call(Op op, ObjectNode args) {
    return context.call(op.request(args));
  }

  /** A {@link Op#WHEN} request, waiting as long as it takes. */
  Flux<JsonNode> await(ObjectNode args) {
    return context.await(Op.WHEN.request(args));
  }

  /** A {@link Op#WHEN} request that takes the server's progress, waiting as long as it takes. */
  Flux<JsonNode> await(ObjectNode args, Consumer<JsonNode> progress) {
    return context.await(Op.WHEN.request(args, progress));
  }

  boolean isLive() {
    return live;
  }

  Cursor cursor() {
    return cursor;
  }

  ObjectNode args() {
    ObjectNode args = JsonNodeFactory.instance.objectNode();
    args.put(Fields.NS, namespace);
    return args;
  }

  ObjectNode keyArgs(String key) {
    Objects.requireNonNull(key, "key");
    ObjectNode args = args();
    args.put(Fields.KEY, key);
    return args;
  }

  ObjectNode mutation() {
    ObjectNode args = args();
    args.put(Fields.ORIGIN, id);
    return args;
  }

  private ObjectNode mutation(String key) {
    ObjectNode args = keyArgs(key);
    args.put(Fields.ORIGIN, id);
    return args;
  }

  @Override
  public String toString() {
    return "State[" + namespace + ", id=" + id + "]";
  }

  @Override
  public <R> Mono<R> atomic(AtomicTask<R> task) {
    Objects.requireNonNull(task, "task");
    return AtomicRunner.run(this, task);
  }

  @Override
  public Flux<StateChange> changes() {
    return OpenStreams.flux(
            streams ->
                call(Op.VERSION, args())
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
              args.put(Fields.AFTER, last.get());
              long ep = epoch.get();
              if (ep != 0) {
                args.put(Fields.EPOCH, ep);
              }
              if (excludeSelf) {
                args.put(Fields.EXCLUDE, id);
              }
              return context.stream(Op.WATCH.request(args));
            })
        .transform(streams::track)
        .doOnNext(
            event -> {
              last.set(Change.versionOf(event));
              JsonNode ep = event.get(Fields.EPOCH);
              if (ep != null && ep.canConvertToLong()) {
                epoch.set(ep.longValue());
              }
            })
        .retryWhen(reconnecting());
  }

  static Retry reconnecting() {
    return Retry.backoff(8, Duration.ofMillis(20))
        .maxBackoff(Duration.ofSeconds(1))
        .transientErrors(true)
        .filter(
            e ->
                e instanceof ZProcException
                    && ((ZProcException) e).code() == ErrorCode.CONNECTION_CLOSED)
        .onRetryExhaustedThrow((spec, signal) -> signal.failure());
  }

  @Override
  public Mono<Snapshot> whenChange(String... keys) {
    return whenClient.change(keys);
  }

  @Override
  public Mono<Snapshot> when(Predicate<? super Snapshot> test) {
    Objects.requireNonNull(test, "test");
    return watch(replica -> test.test(replica.snapshot()));
  }

  @Override
  public Mono<Snapshot> whenEqual(String key, @Nullable Object value) {
    return whenClient.equal(key, value);
  }

  @Override
  public Mono<Snapshot> whenNotEqual(String key, @Nullable Object value) {
    return whenClient.notEqual(key, value);
  }

  @Override
  public Mono<Snapshot> whenNone(String key) {
    Objects.requireNonNull(key, "key");
    return whenClient.key(key, KeyTest.NONE, null);
  }

  @Override
  public Mono<Snapshot> whenNotNone(String key) {
    Objects.requireNonNull(key, "key");
    return whenClient.key(key, KeyTest.NOT_NONE, null);
  }

  @Override
  public Mono<Snapshot> whenAvailable(String key) {
    Objects.requireNonNull(key, "key");
    return whenClient.key(key, KeyTest.AVAILABLE, null);
  }

  /**
   * Every state that passes the test: the current one, then the state after each later change by
   * another client, in order. For the {@code callWhen*} processes.
   */
  Flux<Snapshot> hits(Predicate<Replica> test) {
    return OpenStreams.flux(
        streams ->
            call(Op.SNAPSHOT, args())
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
                                    return !id.equals(event.get(Fields.ORIGIN).textValue())
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
            call(Op.SNAPSHOT, args())
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
                                return !id.equals(event.get(Fields.ORIGIN).textValue())
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
    return call(Op.VERSION, args()).doOnNext(v -> cursor.advance(v.longValue())).then();
  }
}
