package io.zproc.internal.server;

import static io.zproc.internal.server.Arguments.after;
import static io.zproc.internal.server.Arguments.exclude;
import static io.zproc.internal.server.Arguments.field;
import static io.zproc.internal.server.Arguments.flag;
import static io.zproc.internal.server.Arguments.invalid;
import static io.zproc.internal.server.Arguments.keys;
import static io.zproc.internal.server.Arguments.origin;
import static io.zproc.internal.server.Arguments.texts;
import static io.zproc.internal.server.Arguments.token;
import static io.zproc.internal.server.Arguments.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.KeyTest;
import io.zproc.internal.protocol.Op;
import io.zproc.internal.protocol.Replies;
import io.zproc.rsocket.WireConnection;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Serves one connection's state operations. Each operation runs synchronously on the calling
 * (transport) thread and holds one namespace's monitor briefly; nothing blocks.
 */
final class StateSession implements WireSession {
  private static final long PID = ProcessHandle.current().pid();

  private final StateEngine engine;
  private final WireConnection connection;
  private final Arguments arguments;

  private final int maxAtomicWaiters;

  /** This connection's remote processMap operations. */
  private final MapSessionOps maps;

  /** The change streams and waits this connection holds open. */
  private final Watch.Budget watches;

  StateSession(StateEngine engine, MapBroker broker, WireConnection connection) {
    this.engine = engine;
    this.maps = new MapSessionOps(broker, connection.id());
    this.connection = connection;
    this.arguments = new Arguments(engine.options().maxKeyLength());
    this.watches = new Watch.Budget(engine.options().maxWatchesPerConnection());
    this.maxAtomicWaiters = engine.options().maxAtomicWaiters();
  }

  /**
   * Serves a request, counting it and the time spent on it in this thread (for a wait, the time to
   * set it up, not the wait).
   */
  @Override
  public Mono<JsonNode> request(WireRequest request) {
    long start = System.nanoTime();
    Op op = Op.of(request.op());
    try {
      ReplicatedOps replicated = engine.replicated();
      return replicated == null ? serve(op, request) : replicated.request(op, request, this::serve);
    } catch (RuntimeException e) {
      return Mono.error(e);
    } finally {
      engine.stats().record(op, System.nanoTime() - start);
    }
  }

  /** Serves a request on the namespaces of this server (for a replicated store, caught up). */
  private Mono<JsonNode> serve(@Nullable Op op, WireRequest request) {
    try {
      if (op == Op.BEGIN) {
        return begin(ns(op, request.args()));
      }
      if (op == Op.WHEN) {
        return when(op, request.args(), request.progress());
      }
      if (op == Op.MAP_BATCH) {
        return maps.batch(request.args());
      }
      if (op == Op.MAP_DONE) {
        return maps.done(request.args());
      }
      if (op == Op.MAP_DROP) {
        return maps.drop(request.args());
      }
      if (op == null || op == Op.WATCH || op == Op.WORKER) {
        throw unknown(request.op());
      }
      JsonNode result = handle(op, request.args());
      if (op.isMutation()) {
        ns(op, request.args()).signal();
      }
      return Mono.justOrEmpty(result);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
  }

  @Override
  public Flux<JsonNode> stream(WireRequest request) {
    Op op = Op.of(request.op());
    engine.stats().record(op, 0);
    ReplicatedOps replicated = engine.replicated();
    if (replicated != null && op == Op.WATCH) {
      try {
        return replicated.stream(op, request, Flux.defer(() -> watch(op, request)));
      } catch (RuntimeException e) {
        return Flux.error(e);
      }
    }
    return watch(op, request);
  }

  private Flux<JsonNode> watch(@Nullable Op op, WireRequest request) {
    ObjectNode args = request.args();
    try {
      if (op == Op.WORKER) {
        return maps.join(args);
      }
      if (op != Op.WATCH) {
        throw new WireException(
            WireException.UNKNOWN_OPERATION, "unknown stream operation '" + request.op() + "'");
      }
      Namespace ns = ns(op, args);
      long cursor = after(op, args);
      checkEpoch(ns, op, args, cursor);
      String[] keys = keys(op, args);
      Watch.Filter filter = changeFilter(args, flag(args, Fields.CHANGED_ONLY), keys);
      return Watch.changes(
          ns,
          cursor,
          keys,
          filter,
          flag(args, Fields.WITH_SNAPSHOT),
          flag(args, Fields.ONCE),
          watches);
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
  }

  /**
   * A stream resuming after a version of another run of the namespace (the server restarted, or the
   * namespace was dropped and made anew: its epoch differs) would skip this run's first versions
   * silently: it ends with {@code CHANGES_LOST} instead.
   */
  private static void checkEpoch(Namespace ns, Op op, ObjectNode args, long cursor) {
    JsonNode epoch = args.get(Fields.EPOCH);
    if (epoch == null || epoch.isNull()) {
      return;
    }
    if (!epoch.canConvertToLong()) {
      throw invalid(op, Fields.EPOCH + "' (the server epoch) must be an integer");
    }
    if (epoch.longValue() != ns.epoch()) {
      throw new WireException(
          ErrorCodes.CHANGES_LOST,
          "the server restarted, or namespace '"
              + ns.name
              + "' was dropped: this stream resumed after version "
              + cursor
              + " of a namespace that is gone, and its changes after that version are lost (the"
              + " memory store lives in the server's memory; on a redis store, the namespace was"
              + " dropped or Redis lost it); versions start again, read the state and subscribe"
              + " anew");
    }
  }

  /** The changes not made by {@code exclude}, touching one of {@code keys} if given. */
  private static Watch.Filter changeFilter(
      ObjectNode args, boolean changedOnly, String @Nullable [] keys) {
    String exclude = exclude(args);
    String[] wanted = keys;
    return record ->
        (exclude == null || !exclude.equals(record.origin))
            && (!changedOnly || !record.identical)
            && (wanted == null || record.touchesAny(wanted));
  }

  /**
   * The first state that passes a test ({@link Op#WHEN}): without a version to start after, the
   * current state is tested and the answer is immediate; with one, the answer comes when a later
   * change by another origin makes a state that passes. Waiting costs one journal cursor.
   */
  private Mono<JsonNode> when(Op op, ObjectNode args, @Nullable Consumer<JsonNode> progress) {
    Namespace ns = ns(op, args);
    long after = after(op, args);
    checkEpoch(ns, op, args, after);
    String kind = field(op, args, Fields.IS).asText();
    if (kind.equals(KeyTest.ANY_CHANGE)) {
      if (after < 0) {
        return Mono.just(pending(ns, ns.version()));
      }
      String[] keys = keys(op, args);
      return Watch.changes(ns, after, keys, changeFilter(args, true, keys), true, true, watches)
          .next();
    }
    String key = arguments.key(op, args);
    Predicate<@Nullable JsonNode> test = keyTest(op, kind, args);
    if (after < 0 && flag(args, Fields.PROGRESS)) {
      // One request: the version tested goes back as progress (lane, direct path), then the
      // answer when a state passes; without a way to send progress, the two-request answer.
      return Mono.defer(() -> testNow(ns, key, test, args, progress));
    }
    if (after < 0) {
      return testNow(ns, key, test, args, null);
    }
    return waitFor(ns, key, test, args, after);
  }

  /**
   * Tests the current state: the snapshot if it passes; else, with a progress consumer, tells it
   * the version tested and waits for a later state that passes, and without one answers with that
   * version.
   */
  private Mono<JsonNode> testNow(
      Namespace ns,
      String key,
      Predicate<@Nullable JsonNode> test,
      ObjectNode args,
      @Nullable Consumer<JsonNode> progress) {
    long[] version = new long[1];
    ObjectNode snapshot = ns.snapshotIf(key, test, version);
    if (snapshot != null) {
      return Mono.just(passed(snapshot));
    }
    if (progress == null) {
      return Mono.just(pending(ns, version[0]));
    }
    progress.accept(pending(ns, version[0]));
    return waitFor(ns, key, test, args, version[0]);
  }

  private static ObjectNode passed(ObjectNode snapshot) {
    return new Replies.Answer(null, snapshot).encode();
  }

  /** The first state after a version, made by another origin, whose key passes the test. */
  private Mono<JsonNode> waitFor(
      Namespace ns, String key, Predicate<@Nullable JsonNode> test, ObjectNode args, long after) {
    String exclude = exclude(args);
    JsonNode[] value = {ns.valueAt(key, after)};
    Watch.Filter filter =
        new Watch.Filter() {
          @Override
          public boolean accept(ChangeRecord record) {
            for (int i = 0; i < record.keys.length; i++) {
              if (record.keys[i].equals(key)) {
                value[0] = record.after[i];
              }
            }
            return (exclude == null || !exclude.equals(record.origin)) && test.test(value[0]);
          }

          @Override
          public boolean wantsEveryChange() {
            // its own change made the key pass: the next change by another, of any key, answers
            return test.test(value[0]);
          }
        };
    return Watch.changes(ns, after, new String[] {key}, filter, true, true, watches).next();
  }

  /** The version tested, and this server's epoch: a wait resumed after it names both. */
  private static ObjectNode pending(Namespace ns, long version) {
    return new Replies.Pending(version, ns.epoch()).encode();
  }

  /** A test of one key's value (null: absent), as the {@code when*} watchers mean it. */
  private static Predicate<@Nullable JsonNode> keyTest(Op op, String kind, ObjectNode args) {
    KeyTest test = KeyTest.named(kind);
    if (test == null) {
      throw invalid(
          op, Fields.IS + "' must be one of " + KeyTest.wireNames() + "; got '" + kind + "'");
    }
    return test.of(test.needsValue() ? field(op, args, Fields.VALUE) : null);
  }

  /**
   * Waits for the namespace's atomic lock: emits the state with the lock's token when this session
   * gets it. Cancelling gives up the place in the queue.
   */
  private Mono<JsonNode> begin(Namespace ns) {
    return Mono.create(
        sink -> {
          AtomicLock.Waiter waiter = new AtomicLock.Waiter(this, sink);
          sink.onCancel(() -> waiter.cancelled = true);
          AtomicLock.Grant granted;
          try {
            granted = ns.lock().begin(waiter, System.nanoTime(), maxAtomicWaiters);
          } catch (WireException e) {
            sink.error(e);
            return;
          }
          if (granted != null) {
            granted.deliver();
          } else {
            engine.stats().atomicWaits.increment();
          }
        });
  }

  /** Hands on every atomic lock this connection held, and drops its places in the queues. */
  @Override
  public void closed() {
    maps.closed();
    long now = System.nanoTime();
    for (Namespace ns : engine.namespaces()) {
      AtomicLock.Grant next = ns.lock().releaseOwner(this, now);
      if (next != null) {
        next.deliver();
      }
    }
  }

  /** The number of open watches on a namespace (for tests and monitoring). */
  int watchCount(String namespace) {
    return engine.namespace(namespace).watchCount();
  }

  private @Nullable JsonNode handle(Op op, ObjectNode args) {
    switch (op) {
      case COMMIT:
        {
          JsonNode base = field(op, args, Fields.BASE);
          if (!base.canConvertToLong()) {
            throw invalid(op, Fields.BASE + "' (the version the task ran on) must be an integer");
          }
          String[] reads = texts(op, args, Fields.READS);
          if (flag(args, Fields.READ_ALL)) {
            reads = null;
          }
          JsonNode puts = args.get(Fields.MAP);
          if (puts != null && !(puts instanceof ObjectNode)) {
            throw invalid(op, Fields.MAP + "' (the writes) must be a map");
          }
          String[] removes = texts(op, args, Fields.REMOVES);
          for (String k : removes) {
            arguments.checkLength("key", k);
          }
          ObjectNode writes =
              puts == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) puts;
          writes.fieldNames().forEachRemaining(k -> arguments.checkLength("key", k));
          Namespace.Committed committed =
              ns(op, args)
                  .commit(
                      base.longValue(),
                      reads,
                      writes,
                      removes,
                      origin(args),
                      token(op, args),
                      System.nanoTime());
          if (committed.next() != null) {
            committed.next().deliver();
          }
          if (Replies.Commit.isConflict(committed.reply())) {
            engine.stats().atomicConflicts.increment();
          }
          return committed.reply();
        }
      case ABORT:
        {
          AtomicLock.Grant next = ns(op, args).lock().release(token(op, args), System.nanoTime());
          if (next != null) {
            next.deliver();
          }
          return null;
        }
      case VERSION:
        return JsonNodeFactory.instance.numberNode(ns(op, args).version());
      case GET:
        return ns(op, args).get(arguments.key(op, args));
      case PUT:
        {
          JsonNode previous =
              ns(op, args).put(arguments.key(op, args), value(op, args), origin(args));
          return flag(args, Fields.RETURN_PREVIOUS) ? previous : null;
        }
      case REMOVE:
        return ns(op, args).remove(arguments.key(op, args), origin(args));
      case REMOVE_IF:
        return BooleanNode.valueOf(
            ns(op, args)
                .removeIf(arguments.key(op, args), field(op, args, Fields.EXPECTED), origin(args)));
      case REPLACE:
        return ns(op, args).replace(arguments.key(op, args), value(op, args), origin(args));
      case REPLACE_IF:
        return BooleanNode.valueOf(
            ns(op, args)
                .replaceIf(
                    arguments.key(op, args),
                    field(op, args, Fields.EXPECTED),
                    value(op, args),
                    origin(args)));
      case PUT_ALL:
        ns(op, args).putAll(arguments.map(op, args), origin(args));
        return null;
      case PUT_IF_ABSENT:
        return ns(op, args)
            .putIfAbsent(
                arguments.key(op, args),
                value(op, args),
                flag(args, Fields.NULL_IS_ABSENT),
                origin(args));
      case POP_ITEM:
        {
          Map.Entry<String, JsonNode> e = ns(op, args).popItem(origin(args));
          if (e == null) {
            return null;
          }
          return new Replies.Popped(e.getKey(), e.getValue()).encode();
        }
      case CONTAINS_KEY:
        return BooleanNode.valueOf(ns(op, args).containsKey(arguments.key(op, args)));
      case CONTAINS_VALUE:
        return BooleanNode.valueOf(ns(op, args).containsValue(value(op, args)));
      case SIZE:
        return JsonNodeFactory.instance.numberNode(ns(op, args).size());
      case CLEAR:
        ns(op, args).clear(origin(args));
        return null;
      case DROP:
        return BooleanNode.valueOf(engine.drop(arguments.name(op, args)));
      case SET:
        ns(op, args).set(arguments.map(op, args), origin(args));
        return null;
      case SNAPSHOT:
        return ns(op, args).sharedSnapshot();
      case INCREMENT:
        {
          JsonNode delta = field(op, args, Fields.DELTA);
          if (!delta.isIntegralNumber() || !delta.canConvertToLong()) {
            throw invalid(op, Fields.DELTA + "' (the delta) must be an integer");
          }
          return JsonNodeFactory.instance.numberNode(
              ns(op, args).increment(arguments.key(op, args), delta.longValue(), origin(args)));
        }
      case PING:
        return JsonNodeFactory.instance.numberNode(PID);
      case NAMESPACES:
        return StateEngine.namesReply(engine.names());
      default:
        throw unknown(op.wireName());
    }
  }

  private WireException unknown(String op) {
    return new WireException(
        WireException.UNKNOWN_OPERATION,
        "unknown operation '"
            + op
            + "'; is the client newer than the server? (connection "
            + connection.id()
            + ")");
  }

  private Namespace ns(Op op, ObjectNode args) {
    return engine.namespace(arguments.name(op, args));
  }
}
