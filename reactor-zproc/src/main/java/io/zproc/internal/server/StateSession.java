package io.zproc.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.internal.Json;
import io.zproc.internal.Ops;
import io.zproc.rsocket.WireConnection;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
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
  private final int maxKeyLength;

  private final int maxAtomicWaiters;

  /** The change streams and waits this connection holds open. */
  private final Watch.Budget watches;

  StateSession(StateEngine engine, WireConnection connection) {
    this.engine = engine;
    this.connection = connection;
    this.maxKeyLength = engine.options().maxKeyLength();
    this.watches = new Watch.Budget(engine.options().maxWatchesPerConnection());
    this.maxAtomicWaiters = engine.options().maxAtomicWaiters();
  }

  private static final Set<String> MUTATIONS =
      Set.of(
          Ops.PUT,
          Ops.REMOVE,
          Ops.REMOVE_IF,
          Ops.REPLACE,
          Ops.REPLACE_IF,
          Ops.PUT_ALL,
          Ops.PUT_IF_ABSENT,
          Ops.POP_ITEM,
          Ops.CLEAR,
          Ops.SET,
          Ops.INCREMENT,
          Ops.COMMIT);

  /**
   * Serves a request, counting it and the time spent on it in this thread (for a wait, the time to
   * set it up, not the wait).
   */
  @Override
  public Mono<JsonNode> request(WireRequest request) {
    long start = System.nanoTime();
    try {
      return serve(request);
    } finally {
      engine.stats().record(request.op(), System.nanoTime() - start);
    }
  }

  private Mono<JsonNode> serve(WireRequest request) {
    try {
      String op = request.op();
      if (op.equals(Ops.BEGIN)) {
        return begin(ns(op, request.args()));
      }
      if (op.equals(Ops.WHEN)) {
        return when(op, request.args(), request.progress());
      }
      JsonNode result = handle(op, request.args());
      if (MUTATIONS.contains(op)) {
        ns(op, request.args()).signal();
      }
      return Mono.justOrEmpty(result);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
  }

  @Override
  public Flux<JsonNode> stream(WireRequest request) {
    engine.stats().record(request.op(), 0);
    String op = request.op();
    ObjectNode args = request.args();
    try {
      if (!op.equals(Ops.WATCH)) {
        throw new WireException(
            WireException.UNKNOWN_OPERATION, "unknown stream operation '" + op + "'");
      }
      Namespace ns = ns(op, args);
      long cursor = after(op, args);
      checkEpoch(ns, op, args, cursor);
      String[] keys = keys(op, args);
      Watch.Filter filter = changeFilter(args, flag(args, Ops.CHANGED_ONLY), keys);
      return Watch.changes(
          ns, cursor, keys, filter, flag(args, Ops.WITH_SNAPSHOT), flag(args, Ops.ONCE), watches);
    } catch (RuntimeException e) {
      return Flux.error(e);
    }
  }

  /**
   * A stream resuming after a version of another run of the namespace (the server restarted, or the
   * namespace was dropped and made anew: its epoch differs) would skip this run's first versions
   * silently: it ends with {@code CHANGES_LOST} instead.
   */
  private static void checkEpoch(Namespace ns, String op, ObjectNode args, long cursor) {
    JsonNode epoch = args.get(Ops.EPOCH);
    if (epoch == null || epoch.isNull()) {
      return;
    }
    if (!epoch.canConvertToLong()) {
      throw invalid(op, Ops.EPOCH + "' (the server epoch) must be an integer");
    }
    if (epoch.longValue() != ns.epoch()) {
      throw new WireException(
          Namespace.CHANGES_LOST,
          "the server restarted, or namespace '"
              + ns.name
              + "' was dropped: this stream resumed after version "
              + cursor
              + " of a namespace that is gone, and its changes after that version are lost (the"
              + " embedded store lives in memory); versions start again, read the state and"
              + " subscribe anew");
    }
  }

  /** The version argument to resume after, or -1 for "from now". */
  private static long after(String op, ObjectNode args) {
    JsonNode after = args.get(Ops.AFTER);
    if (after == null || after.isNull()) {
      return -1;
    }
    if (!after.canConvertToLong() || after.longValue() < 0) {
      throw invalid(op, Ops.AFTER + "' (the version to resume after) must be >= 0");
    }
    return after.longValue();
  }

  /** The keys a watch asks for ({@link Ops#KEYS}), or null for any. */
  private static String @Nullable [] keys(String op, ObjectNode args) {
    String[] keys = null;
    JsonNode k = args.get(Ops.KEYS);
    if (k != null && k.isArray() && k.size() > 0) {
      keys = new String[k.size()];
      for (int i = 0; i < keys.length; i++) {
        if (!k.get(i).isTextual()) {
          throw invalid(op, Ops.KEYS + "' must be a list of texts");
        }
        keys[i] = k.get(i).textValue();
      }
    }
    return keys;
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

  private static @Nullable String exclude(ObjectNode args) {
    JsonNode ex = args.get(Ops.EXCLUDE);
    return ex != null && ex.isTextual() ? ex.textValue() : null;
  }

  /**
   * The first state that passes a test ({@link Ops#WHEN}): without a version to start after, the
   * current state is tested and the answer is immediate; with one, the answer comes when a later
   * change by another origin makes a state that passes. Waiting costs one journal cursor.
   */
  private Mono<JsonNode> when(String op, ObjectNode args, @Nullable Consumer<JsonNode> progress) {
    Namespace ns = ns(op, args);
    long after = after(op, args);
    checkEpoch(ns, op, args, after);
    String kind = field(op, args, Ops.IS).asText();
    if (kind.equals("change")) {
      if (after < 0) {
        return Mono.just(pending(ns, ns.version()));
      }
      String[] keys = keys(op, args);
      return Watch.changes(ns, after, keys, changeFilter(args, true, keys), true, true, watches)
          .next();
    }
    String key = key(op, args);
    Predicate<@Nullable JsonNode> test = keyTest(op, kind, args);
    if (after < 0 && flag(args, Ops.PROGRESS)) {
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
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.set(Ops.WITH_SNAPSHOT, snapshot);
    return reply;
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
    ObjectNode reply = JsonNodeFactory.instance.objectNode();
    reply.put(Ops.AT, version);
    reply.put(Ops.EPOCH, ns.epoch());
    return reply;
  }

  /** A test of one key's value (null: absent), as the {@code when*} watchers mean it. */
  private static Predicate<@Nullable JsonNode> keyTest(String op, String kind, ObjectNode args) {
    switch (kind) {
      case "eq":
        {
          JsonNode expected = field(op, args, Ops.VALUE);
          return v -> v != null && Json.equal(v, expected);
        }
      case "ne":
        {
          JsonNode expected = field(op, args, Ops.VALUE);
          return v -> v != null && !Json.equal(v, expected);
        }
      case "none":
        return v -> v != null && v.isNull();
      case "notnone":
        return v -> v != null && !v.isNull();
      case "avail":
        return v -> v != null;
      default:
        throw invalid(
            op,
            Ops.IS + "' must be one of eq, ne, none, notnone, avail, change; got '" + kind + "'");
    }
  }

  /**
   * Waits for the namespace's atomic lock: emits the state with the lock's token when this session
   * gets it. Cancelling gives up the place in the queue.
   */
  private Mono<JsonNode> begin(Namespace ns) {
    return Mono.create(
        sink -> {
          Namespace.Waiter waiter = new Namespace.Waiter(this, sink);
          sink.onCancel(() -> waiter.cancelled = true);
          Namespace.Grant granted;
          try {
            granted = ns.begin(waiter, System.nanoTime(), maxAtomicWaiters);
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

  private static long token(String op, ObjectNode args) {
    JsonNode token = args.get(Ops.TOKEN);
    if (token == null || token.isNull()) {
      return 0;
    }
    if (!token.canConvertToLong()) {
      throw invalid(op, Ops.TOKEN + "' (the atomic lock's token) must be an integer");
    }
    return token.longValue();
  }

  /** Hands on every atomic lock this connection held, and drops its places in the queues. */
  @Override
  public void closed() {
    long now = System.nanoTime();
    for (Namespace ns : engine.namespaces()) {
      Namespace.Grant next = ns.releaseOwner(this, now);
      if (next != null) {
        next.deliver();
      }
    }
  }

  /** The number of open watches on a namespace (for tests and monitoring). */
  int watchCount(String namespace) {
    return engine.namespace(namespace).watchCount();
  }

  private @Nullable JsonNode handle(String op, ObjectNode args) {
    switch (op) {
      case Ops.COMMIT:
        {
          JsonNode base = field(op, args, Ops.BASE);
          if (!base.canConvertToLong()) {
            throw invalid(op, Ops.BASE + "' (the version the task ran on) must be an integer");
          }
          String[] reads = texts(op, args, Ops.READS);
          if (flag(args, Ops.READ_ALL)) {
            reads = null;
          }
          JsonNode puts = args.get(Ops.MAP);
          if (puts != null && !(puts instanceof ObjectNode)) {
            throw invalid(op, Ops.MAP + "' (the writes) must be a map");
          }
          String[] removes = texts(op, args, Ops.REMOVES);
          for (String k : removes) {
            checkLength("key", k);
          }
          ObjectNode writes =
              puts == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) puts;
          writes.fieldNames().forEachRemaining(k -> checkLength("key", k));
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
          if (!committed.reply().path("ok").asBoolean(true)) {
            engine.stats().atomicConflicts.increment();
          }
          return committed.reply();
        }
      case Ops.ABORT:
        {
          Namespace.Grant next = ns(op, args).release(token(op, args), System.nanoTime());
          if (next != null) {
            next.deliver();
          }
          return null;
        }
      case Ops.VERSION_OF:
        return JsonNodeFactory.instance.numberNode(ns(op, args).version());
      case Ops.GET:
        return ns(op, args).get(key(op, args));
      case Ops.PUT:
        {
          JsonNode previous = ns(op, args).put(key(op, args), value(op, args), origin(args));
          return flag(args, Ops.RETURN_PREVIOUS) ? previous : null;
        }
      case Ops.REMOVE:
        return ns(op, args).remove(key(op, args), origin(args));
      case Ops.REMOVE_IF:
        return BooleanNode.valueOf(
            ns(op, args).removeIf(key(op, args), field(op, args, Ops.EXPECTED), origin(args)));
      case Ops.REPLACE:
        return ns(op, args).replace(key(op, args), value(op, args), origin(args));
      case Ops.REPLACE_IF:
        return BooleanNode.valueOf(
            ns(op, args)
                .replaceIf(
                    key(op, args), field(op, args, Ops.EXPECTED), value(op, args), origin(args)));
      case Ops.PUT_ALL:
        ns(op, args).putAll(map(op, args), origin(args));
        return null;
      case Ops.PUT_IF_ABSENT:
        return ns(op, args)
            .putIfAbsent(
                key(op, args), value(op, args), flag(args, Ops.NULL_IS_ABSENT), origin(args));
      case Ops.POP_ITEM:
        {
          Map.Entry<String, JsonNode> e = ns(op, args).popItem(origin(args));
          if (e == null) {
            return null;
          }
          ObjectNode reply = JsonNodeFactory.instance.objectNode();
          reply.put(Ops.KEY, e.getKey());
          reply.set(Ops.VALUE, e.getValue());
          return reply;
        }
      case Ops.CONTAINS_KEY:
        return BooleanNode.valueOf(ns(op, args).containsKey(key(op, args)));
      case Ops.CONTAINS_VALUE:
        return BooleanNode.valueOf(ns(op, args).containsValue(value(op, args)));
      case Ops.SIZE:
        return JsonNodeFactory.instance.numberNode(ns(op, args).size());
      case Ops.CLEAR:
        ns(op, args).clear(origin(args));
        return null;
      case Ops.DROP:
        return BooleanNode.valueOf(engine.drop(name(op, args)));
      case Ops.SET:
        ns(op, args).set(map(op, args), origin(args));
        return null;
      case Ops.SNAPSHOT:
        return ns(op, args).sharedSnapshot();
      case Ops.INCREMENT:
        {
          JsonNode delta = field(op, args, Ops.DELTA);
          if (!delta.isIntegralNumber() || !delta.canConvertToLong()) {
            throw invalid(op, Ops.DELTA + "' (the delta) must be an integer");
          }
          return JsonNodeFactory.instance.numberNode(
              ns(op, args).increment(key(op, args), delta.longValue(), origin(args)));
        }
      case Ops.PING:
        return JsonNodeFactory.instance.numberNode(PID);
      default:
        throw new WireException(
            WireException.UNKNOWN_OPERATION,
            "unknown operation '"
                + op
                + "'; is the client newer than the server? (connection "
                + connection.id()
                + ")");
    }
  }

  private Namespace ns(String op, ObjectNode args) {
    return engine.namespace(name(op, args));
  }

  /** The namespace's name, checked. */
  private String name(String op, ObjectNode args) {
    JsonNode ns = args.get(Ops.NS);
    if (ns == null || !ns.isTextual()) {
      throw invalid(op, Ops.NS + "' (the namespace) must be a text");
    }
    String name = ns.textValue();
    if (name.isEmpty()) {
      throw invalid(op, Ops.NS + "' (the namespace) must not be empty");
    }
    checkLength("namespace name", name);
    return name;
  }

  private String key(String op, ObjectNode args) {
    JsonNode key = args.get(Ops.KEY);
    if (key == null || !key.isTextual()) {
      throw invalid(op, Ops.KEY + "' (the key) must be a text");
    }
    String k = key.textValue();
    checkLength("key", k);
    return k;
  }

  private void checkLength(String what, String text) {
    if (text.length() * 3 <= maxKeyLength) {
      return;
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxKeyLength) {
      throw new WireException(
          WireException.LIMIT_EXCEEDED,
          what
              + " '"
              + text.substring(0, Math.min(40, text.length()))
              + "...' is "
              + bytes
              + " UTF-8 bytes, over the server's limit of "
              + maxKeyLength
              + "; use a shorter one or raise ServerOptions.maxKeyLength");
    }
  }

  private static String[] texts(String op, ObjectNode args, String name) {
    JsonNode list = args.get(name);
    if (list == null || list.isNull()) {
      return new String[0];
    }
    if (!list.isArray()) {
      throw invalid(op, name + "' must be a list of texts");
    }
    String[] out = new String[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!list.get(i).isTextual()) {
        throw invalid(op, name + "' must be a list of texts");
      }
      out[i] = list.get(i).textValue();
    }
    return out;
  }

  private static JsonNode value(String op, ObjectNode args) {
    return field(op, args, Ops.VALUE);
  }

  private static JsonNode field(String op, ObjectNode args, String name) {
    JsonNode v = args.get(name);
    if (v == null) {
      throw invalid(op, name + "' is missing");
    }
    return v;
  }

  /** The entries of {@code putAll}/{@code set}; every key within the key length limit. */
  private ObjectNode map(String op, ObjectNode args) {
    JsonNode m = args.get(Ops.MAP);
    if (!(m instanceof ObjectNode)) {
      throw invalid(op, Ops.MAP + "' (the entries) must be a map");
    }
    Iterator<String> names = m.fieldNames();
    while (names.hasNext()) {
      checkLength("key", names.next());
    }
    return (ObjectNode) m;
  }

  private static String origin(ObjectNode args) {
    JsonNode o = args.get(Ops.ORIGIN);
    return o != null && o.isTextual() ? o.textValue() : "";
  }

  private static boolean flag(ObjectNode args, String name) {
    JsonNode f = args.get(name);
    return f != null && f.asBoolean(false);
  }

  private static WireException invalid(String op, String what) {
    return new WireException(
        WireException.INVALID_ARGUMENT, "operation '" + op + "': argument '" + what);
  }
}
