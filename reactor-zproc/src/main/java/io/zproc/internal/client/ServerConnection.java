package io.zproc.internal.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.ZProcException;
import io.zproc.ZProcOptions;
import io.zproc.rsocket.BlockedCaller;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireClientOptions;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.connect.Wire;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * A context's connection to its server: sends requests and opens streams over the current {@link
 * WireClient}, reconnects (with backoff, bounded by the connect timeout) when it was lost, and
 * turns transport errors into {@link ZProcException}. It retries nothing itself: a request may be a
 * write.
 */
final class ServerConnection {
  private volatile WireClient wire;
  private final WireClientOptions wireOptions;
  private final Duration connectTimeout;
  private final String address;
  private @Nullable Mono<WireClient> reconnecting;
  private volatile boolean closed;

  /**
   * @param wire the connection made first
   * @param address where to reconnect
   */
  ServerConnection(WireClient wire, String address, ZProcOptions options) {
    this.wire = wire;
    this.wireOptions = wireOptions(options);
    this.connectTimeout = options.connectTimeout();
    this.address = address;
  }

  private static WireClientOptions wireOptions(ZProcOptions options) {
    WireClientOptions wireOptions =
        WireClientOptions.defaults()
            .withSecretKey(options.secretKey())
            .withConnectTimeout(options.connectTimeout())
            .withDirect(options.directPath())
            .withLocalSocket(options.localSocket());
    if (options.tls()) {
      wireOptions = wireOptions.withTls(options.tlsTrust());
    }
    return wireOptions;
  }

  /**
   * Connects, blocking until connected.
   *
   * @throws ZProcException if the connection fails or is refused
   */
  static WireClient open(String address, ZProcOptions options) {
    try {
      return Objects.requireNonNull(
          Wire.connect(address, wireOptions(options))
              .block(options.connectTimeout().plusSeconds(5)));
    } catch (WireException e) {
      throw Errors.toZProc(e);
    }
  }

  /** Sends one request; errors are {@link ZProcException}. Never retried (it may be a write). */
  Mono<JsonNode> call(WireRequest request) {
    WireClient w = wire;
    Mono<JsonNode> reply =
        w.isDisposed() ? wire().flatMap(c -> c.request(request)) : w.request(request);
    // not onErrorMap: its arbiter can lose a cancel racing with the subscription (an atomic's
    // turn would then stay queued on the server)
    return ZProcErrors.of(reply);
  }

  /**
   * A call whose reply may be sent by another client's write (a {@code when*} watcher): as {@link
   * #call}, but a reply from a server in this JVM is moved off the writer's thread, so a watcher
   * reacting with a write never runs inside another client's call. No operator here arbitrates
   * subscriptions (see {@link OpenStreams}).
   */
  Flux<JsonNode> await(WireRequest request) {
    Flux<JsonNode> reply =
        Flux.defer(
            () -> {
              WireClient w = wire;
              return w.isDisposed()
                  ? wire().flatMap(c -> offWriter(c, c.request(request)))
                  : offWriter(w, w.request(request));
            });
    return ZProcErrors.of(reply);
  }

  /**
   * On the direct path, moves the reply off the writer's thread, unless a thread is blocked waiting
   * for it ({@code block()}): waking it from the writer's thread saves a thread hop, and the
   * reaction then runs on the caller's own thread anyway. The wait ends with {@code
   * CONNECTION_CLOSED} if the server closes first.
   */
  private static Mono<JsonNode> offWriter(WireClient c, Mono<JsonNode> reply) {
    if (!"direct".equals(c.transport())) {
      return reply;
    }
    // A wait on an in-JVM server ends when that server closes, as it would with the socket: the
    // caller then resumes on the next server (or learns that it restarted) instead of hanging.
    Mono<JsonNode> bounded = DirectWaits.of(c).bound(reply);
    Mono<JsonNode> hopped = bounded.publishOn(DirectHop.SCHEDULER);
    return new MonoOperator<JsonNode, JsonNode>(bounded) {
      @Override
      public void subscribe(CoreSubscriber<? super JsonNode> actual) {
        (BlockedCaller.is(actual) ? source : hopped).subscribe(actual);
      }
    };
  }

  /**
   * Opens one stream. Elements from a server in this JVM are moved off the writer's thread, so a
   * watcher reacting with a write never runs inside another client's call. No operator here
   * arbitrates subscriptions, so a cancel always reaches the server (see {@link OpenStreams}).
   */
  Flux<JsonNode> stream(WireRequest request) {
    return wire()
        .flatMapMany(
            c -> {
              Flux<JsonNode> elements = c.stream(request);
              return "direct".equals(c.transport())
                  ? elements.publishOn(Schedulers.parallel(), 8)
                  : elements;
            })
        // not onErrorMap: its arbiter can lose a cancel racing with the subscription
        .transform(ZProcErrors::of);
  }

  /** The live connection, reconnecting (with backoff, bounded by the connect timeout) if lost. */
  Mono<WireClient> wire() {
    WireClient w = wire;
    if (!w.isDisposed()) {
      return Mono.just(w);
    }
    if (closed) {
      return Mono.error(
          new WireException(WireException.CONNECTION_CLOSED, "this context is closed"));
    }
    synchronized (this) {
      if (wire != w) {
        return Mono.just(wire);
      }
      Mono<WireClient> pending = reconnecting;
      if (pending == null) {
        pending =
            Mono.defer(() -> Wire.connect(address, wireOptions))
                .retryWhen(
                    Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(500))
                        .filter(
                            e ->
                                e instanceof WireException
                                    && WireException.CONNECTION_CLOSED.equals(
                                        ((WireException) e).code())))
                .timeout(connectTimeout)
                .onErrorMap(
                    TimeoutException.class,
                    e ->
                        new WireException(
                            WireException.CONNECTION_CLOSED,
                            "lost the connection to "
                                + address
                                + " and could not reconnect within "
                                + connectTimeout.toMillis()
                                + " ms"))
                .doOnNext(this::replaced)
                .doFinally(signal -> clearReconnecting())
                .cache();
        reconnecting = pending;
      }
      return pending;
    }
  }

  private synchronized void replaced(WireClient fresh) {
    if (closed) {
      fresh.dispose();
    }
    wire = fresh;
  }

  private synchronized void clearReconnecting() {
    reconnecting = null;
  }

  /** Drops the current connection, as a network failure would (a seam for tests). */
  void drop() {
    wire.dispose();
  }

  /** How this connection reaches the server: {@code direct}, {@code unix}, {@code tcp}, ... */
  String transport() {
    return wire.transport();
  }

  /**
   * From now on, a lost connection is not made again: its callers get {@code CONNECTION_CLOSED}.
   */
  void closing() {
    closed = true;
  }

  /** Closes the current connection ({@link #closing()} first, so that it stays closed). */
  void dispose() {
    closed = true;
    wire.dispose();
  }
}
