package io.zproc.internal.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.zproc.internal.store.ReplicatedStore;
import io.zproc.internal.store.StoreErrors;
import io.zproc.rsocket.WireException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.NonBlocking;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link ReplicatedStore} on Redis, through Lettuce: one connection for the scripts (see {@link
 * Scripts}; each operation is one EVALSHA, pipelined with the others), one subscribed to the
 * channel {@value #CHANNEL} where every commit rings. Commands fail at once while the connection is
 * down (they are never queued for later) and after {@link #TIMEOUT} without an answer; the
 * connections come back by themselves when Redis does.
 */
public final class RedisStore implements ReplicatedStore {
  /** How long a command may wait for Redis's answer, and a connection for Redis. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** The channel every commit and drop rings. */
  static final String CHANNEL = "zproc:bells";

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final String READ_SHA = Scripts.sha(Scripts.READ);
  private static final String COMMIT_SHA = Scripts.sha(Scripts.COMMIT);
  private static final String DROP_SHA = Scripts.sha(Scripts.DROP);
  private static final byte[] EMPTY = new byte[0];

  /** Redis's answers that say it cannot serve for now (loading, failing over, busy), not "no". */
  private static final Pattern TRANSIENT =
      Pattern.compile("(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\\b");

  /** The one thread that issues commands (see {@link #send}); a plain thread, it may wait. */
  private final ExecutorService dispatcher =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread t = new Thread(task, "zproc-redis-dispatch");
            t.setDaemon(true);
            return t;
          });

  private final RedisClient client;
  private final RedisAsyncCommands<String, byte[]> commands;
  private final Sinks.Many<Bell> bells = Sinks.many().multicast().directBestEffort();
  private final String described;

  /** The log's bound: Redis trims it to about this many records (what a restart resumes from). */
  private final int logSize;

  private RedisStore(
      RedisClient client,
      StatefulRedisConnection<String, byte[]> connection,
      String described,
      int logSize) {
    this.logSize = logSize;
    this.client = client;
    this.commands = connection.async();
    this.described = described;
  }

  /**
   * Connects to Redis; blocks (up to {@link #TIMEOUT} per connection) until both connections are
   * made and the channel subscribed.
   *
   * @param uri {@code redis://[:password@]host:port[/db]} or {@code rediss://...} (TLS)
   * @param described the URI without its password, for messages
   * @param logSize about how many records each namespace's log keeps (its journal's size)
   * @throws io.lettuce.core.RedisException if Redis cannot be reached (the caller says what to do)
   */
  public static RedisStore connect(String uri, String described, int logSize) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(TIMEOUT);
    RedisClient client = RedisClient.create(resources(), redisUri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
            .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
            .build());
    StatefulRedisConnection<String, byte[]> connection = null;
    try {
      connection = client.connect(CODEC);
      StatefulRedisPubSubConnection<String, byte[]> pubsub = client.connectPubSub(CODEC);
      RedisStore store = new RedisStore(client, connection, described, logSize);
      pubsub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
              store.rang(message);
            }
          });
      pubsub.sync().subscribe(CHANNEL);
      return store;
    } catch (RuntimeException e) {
      if (connection != null) {
        connection.close();
      }
      client.shutdown(0, 0, TimeUnit.SECONDS);
      client.getResources().shutdown(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Lettuce's threads, marked as Reactor's non-blocking threads: what runs on them (a reply, a
   * watcher woken by another server's change) is then known not to block, as on the transport's
   * event loops, and takes the non-blocking ways of the code it calls.
   */
  private static ClientResources resources() {
    AtomicInteger count = new AtomicInteger();
    return DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .threadFactoryProvider(
            pool ->
                task -> {
                  Thread t =
                      new StoreThread(task, "zproc-redis-" + pool + "-" + count.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                })
        .build();
  }

  /** A thread of Lettuce's pools: non-blocking, for Reactor and BlockHound. */
  private static final class StoreThread extends Thread implements NonBlocking {
    StoreThread(Runnable task, String name) {
      super(task, name);
    }
  }

  /**
   * This store's id, in the bells of its commits: it skips them, as its server applied the change
   * already (else each write would cost a second round trip, a catch-up of nothing).
   */
  private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() | 1);

  /** A bell: "version:storeId namespace", or "x{epoch} namespace" for a drop. */
  private void rang(byte[] message) {
    String text = new String(message, StandardCharsets.UTF_8);
    int space = text.indexOf(' ');
    if (space < 1) {
      return;
    }
    String head = text.substring(0, space);
    String ns = text.substring(space + 1);
    try {
      if (head.startsWith("x")) {
        bells.tryEmitNext(new Bell(ns, -1, Long.parseLong(head.substring(1))));
      } else {
        int colon = head.indexOf(':');
        if (colon > 0 && head.substring(colon + 1).equals(id)) {
          return; // our own commit
        }
        String version = colon > 0 ? head.substring(0, colon) : head;
        bells.tryEmitNext(new Bell(ns, Long.parseLong(version), 0));
      }
    } catch (NumberFormatException e) {
      // not ours
    }
  }

  private static String[] keys(String ns) {
    String p = KEY_PREFIX + ns + "}:";
    return new String[] {p + "meta", p + "data", p + "order", p + "log"};
  }

  private static byte[] bytes(Object text) {
    return String.valueOf(text).getBytes(StandardCharsets.UTF_8);
  }

  private static long number(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    return Long.parseLong(text(o));
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /** Runs a script by its digest, loading it first if Redis does not know it yet. */
  private <T> Mono<T> run(String sha, String script, String[] keys, byte[]... args) {
    return this.<T>send(() -> commands.evalsha(sha, ScriptOutputType.MULTI, keys, args))
        .onErrorResume(
            RedisNoScriptException.class,
            e -> send(() -> commands.eval(script, ScriptOutputType.MULTI, keys, args)))
        .onErrorMap(e -> !(e instanceof WireException), this::translate);
  }

  /**
   * Issues a command from the dispatcher thread; its answer comes on Lettuce's I/O thread (or, if
   * Lettuce refuses it at once, on the dispatcher).
   *
   * <p>Why a thread of its own: Lettuce 7.7's write path takes a lock ({@code
   * SharedLock.incrementWriters}), on which a writer parks while another writes or while Lettuce
   * reconnects or closes; so no event loop of the transport or of Reactor issues a command, and no
   * command is issued from inside the completion of another (Lettuce then spun for ever in a
   * server's close, seen in RedisStoreTest). The hop costs microseconds; a round trip to Redis, a
   * hundred or more.
   */
  private <T> Mono<T> send(Supplier<RedisFuture<T>> command) {
    return Mono.fromCompletionStage(
        () -> CompletableFuture.supplyAsync(command, dispatcher).thenCompose(f -> f));
  }

  private Throwable translate(Throwable e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof RedisCommandExecutionException && !TRANSIENT.matcher(message).lookingAt()) {
      return new WireException(
          WireException.INTERNAL,
          "the store " + described + " refused a command: " + e.getMessage(),
          e);
    }
    return StoreErrors.unavailable(described, e);
  }

  @Override
  public Mono<Stored> read(String namespace, long after, long newEpoch, int maxRecords) {
    return this.<List<Object>>run(
            READ_SHA,
            Scripts.READ,
            keys(namespace),
            bytes(newEpoch),
            bytes(after),
            bytes(maxRecords))
        .map(
            r -> {
              List<byte[]> records = new ArrayList<>();
              for (Object o : list(r.get(3))) {
                records.add((byte[]) o);
              }
              List<String> keys = new ArrayList<>();
              for (Object o : list(r.get(4))) {
                keys.add(text(o));
              }
              List<byte[]> values = new ArrayList<>();
              for (Object o : list(r.get(5))) {
                values.add(o == null ? EMPTY : (byte[]) o);
              }
              return new Stored(
                  Long.parseLong(text(r.get(0))),
                  number(r.get(1)),
                  number(r.get(2)) == 1,
                  keys,
                  values,
                  records);
            });
  }

  @Override
  public Mono<Outcome> commit(String namespace, long epoch, long base, @Nullable Change change) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(epoch));
    args.add(bytes(base));
    args.add(bytes(logSize));
    args.add(change == null ? EMPTY : change.record());
    args.add(bytes(change != null && change.reset() ? 1 : 0));
    args.add(bytes(CHANNEL));
    args.add(bytes(namespace));
    args.add(bytes(id));
    if (change != null) {
      byte[][] values = change.values();
      for (int i = 0; i < change.keys().length; i++) {
        byte[] value = values == null ? null : values[i];
        args.add(bytes(value == null ? "d" : "p"));
        args.add(bytes(change.keys()[i]));
        args.add(value == null ? EMPTY : value);
      }
    }
    return this.<List<Object>>run(
            COMMIT_SHA, Scripts.COMMIT, keys(namespace), args.toArray(new byte[0][]))
        .map(
            r ->
                new Outcome(
                    number(r.get(0)) == 1, Long.parseLong(text(r.get(1))), number(r.get(2))));
  }

  @Override
  public Mono<Boolean> drop(String namespace) {
    return this.<List<Object>>run(
            DROP_SHA, Scripts.DROP, keys(namespace), bytes(CHANNEL), bytes(namespace))
        .map(r -> number(r.get(0)) == 1);
  }

  @Override
  public Mono<List<String>> names() {
    // every namespace has its meta hash from its first read on (Scripts.READ); SCAN may return a
    // key more than once, and never blocks Redis as KEYS would
    ScanArgs args = ScanArgs.Builder.matches(META_PATTERN).limit(1000);
    return this.<KeyScanCursor<String>>send(() -> commands.scan(args))
        .expand(
            c ->
                c.isFinished()
                    ? Mono.empty()
                    : send(() -> commands.scan(ScanCursor.of(c.getCursor()), args)))
        .flatMapIterable(KeyScanCursor::getKeys)
        .filter(k -> k.startsWith(KEY_PREFIX) && k.endsWith(META_SUFFIX))
        .map(k -> k.substring(KEY_PREFIX.length(), k.length() - META_SUFFIX.length()))
        .distinct()
        .collectList()
        .onErrorMap(e -> !(e instanceof WireException), this::translate);
  }

  private static final String KEY_PREFIX = "zproc:{";
  private static final String META_SUFFIX = "}:meta";
  private static final String META_PATTERN = KEY_PREFIX + "*" + META_SUFFIX;

  @Override
  public Flux<Bell> bells() {
    return bells.asFlux();
  }

  @Override
  public String describe() {
    return described;
  }

  @Override
  public void close() {
    bells.tryEmitComplete();
    dispatcher.shutdown();
    // the client's shutdown closes both connections
    ClientResources resources = client.getResources();
    if (Schedulers.isInNonBlockingThread()) {
      client
          .shutdownAsync(0, 2, TimeUnit.SECONDS)
          .whenComplete((ok, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    } else {
      try {
        // bounded: a close never hangs its caller, whatever Lettuce does
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // closing goes on in the background
      }
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }
}
