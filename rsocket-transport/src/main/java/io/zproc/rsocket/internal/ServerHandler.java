package io.zproc.rsocket.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server's RSocket for one connection: decodes at the edge (releasing the payload), hands the
 * request to the session and encodes the reply. Every failure becomes an error reply; nothing a
 * peer sends closes the connection.
 */
public final class ServerHandler implements RSocket {
  private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

  /** The transport's own ping: answers with the server's limits. */
  public static final String PING = "$ping";

  private final WireSession session;
  private final int maxFrameSize;
  private final long connectionId;

  /**
   * @param session serves this connection
   * @param maxFrameSize the server's frame limit
   * @param connectionId this connection's id, which a lane presents to share its session
   */
  public ServerHandler(WireSession session, int maxFrameSize, long connectionId) {
    this.session = session;
    this.maxFrameSize = maxFrameSize;
    this.connectionId = connectionId;
  }

  /** The reply to {@link #PING}: the server's frame limit, and the connection's id if known. */
  public static JsonNode pingReply(int maxFrameSize, long connectionId) {
    ObjectNode reply = JsonNodeFactory.instance.objectNode().put("maxFrame", maxFrameSize);
    if (connectionId >= 0) {
      reply.put("conn", connectionId);
    }
    return reply;
  }

  @Override
  public Mono<Payload> requestResponse(Payload payload) {
    WireRequest request;
    try {
      request = decode(payload);
    } catch (WireException e) {
      return Mono.just(reply(Failures.toFailure(e)));
    }
    if (PING.equals(request.op())) {
      return Mono.just(reply(new WireReply.Result(pingReply(maxFrameSize, connectionId))));
    }
    Mono<JsonNode> result = handle(session, request);
    WireReply immediate = immediate(result, request);
    if (immediate != null) {
      return Mono.just(reply(immediate));
    }
    return result
        .map(value -> reply(new WireReply.Result(value)))
        .switchIfEmpty(Mono.fromSupplier(() -> reply(new WireReply.Result(null))))
        .onErrorResume(e -> Mono.just(failureReply(request, e)));
  }

  private static Payload failureReply(WireRequest request, Throwable e) {
    return reply(failure(request, e));
  }

  /** Hands a request to the session; a session that throws gives an error signal. */
  public static Mono<JsonNode> handle(WireSession session, WireRequest request) {
    try {
      return session.request(request);
    } catch (RuntimeException e) {
      return Mono.error(e);
    }
  }

  /**
   * The reply to a synchronous result (the common case: state operations answer with {@code
   * Mono.just}, empty or an error), read without assembling an operator chain; null for an
   * asynchronous result.
   */
  public static @Nullable WireReply immediate(Mono<JsonNode> result, WireRequest request) {
    if (!(result instanceof Fuseable.ScalarCallable)) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      Fuseable.ScalarCallable<JsonNode> scalar = (Fuseable.ScalarCallable<JsonNode>) result;
      return new WireReply.Result(scalar.call());
    } catch (Exception e) {
      return failure(request, Exceptions.unwrap(e));
    }
  }

  /** At most one server failure's stack trace every 10 s: a peer cannot flood the log. */
  private static final LogLimiter FAILURES = new LogLimiter(10_000_000_000L);

  /**
   * The error reply for a failed request; anything but a WireException (a failure of the server's,
   * not the request's) is logged at warn, at most once every 10 s with the count since.
   */
  public static WireReply failure(WireRequest request, Throwable e) {
    if (!(e instanceof WireException)) {
      logFailure("request", request.op(), e);
    }
    return Failures.toFailure(e);
  }

  static void logFailure(String kind, String op, Throwable e) {
    long count = FAILURES.tryAcquire(System.nanoTime());
    if (count > 0) {
      log.warn(
          "{} '{}' failed on the server ({} such failure(s) since the last one logged)",
          kind,
          op,
          count,
          e);
    }
  }

  @Override
  public Flux<Payload> requestStream(Payload payload) {
    WireRequest request;
    try {
      request = decode(payload);
    } catch (WireException e) {
      return Flux.error(new ApplicationErrorException(Failures.streamErrorText(e)));
    }
    Flux<JsonNode> stream;
    try {
      stream = session.stream(request);
    } catch (RuntimeException e) {
      stream = Flux.error(e);
    }
    return stream
        .map(node -> (Payload) DefaultPayload.create(encodeShared(node)))
        .onErrorMap(
            e -> {
              if (!(e instanceof WireException)) {
                logFailure("stream", request.op(), e);
              }
              return new ApplicationErrorException(Failures.streamErrorText(e));
            });
  }

  @Override
  public Mono<Void> fireAndForget(Payload payload) {
    payload.release();
    return Mono.empty();
  }

  @Override
  public Flux<Payload> requestChannel(Publisher<Payload> payloads) {
    return Flux.from(payloads)
        .doOnNext(Payload::release)
        .thenMany(
            Flux.error(
                new ApplicationErrorException(
                    "[" + WireException.UNKNOWN_OPERATION + "] this server has no channels")));
  }

  private WireRequest decode(Payload payload) {
    try {
      int size = payload.data().readableBytes();
      if (size > maxFrameSize) {
        throw new WireException(
            WireException.LIMIT_EXCEEDED,
            "request of "
                + size
                + " bytes exceeds the server's frame limit of "
                + maxFrameSize
                + " bytes; raise the server's maxFrameSize option or send smaller values");
      }
      return CborCodec.decodeRequest(payload.data());
    } catch (CodecException e) {
      throw new WireException(WireException.BAD_REQUEST, String.valueOf(e.getMessage()));
    } finally {
      payload.release();
    }
  }

  /** The last stream element encoded, and its bytes: {node, bytes}. */
  private static final AtomicReference<Object[]> LAST_ELEMENT =
      new AtomicReference<>(new Object[2]);

  /**
   * Encodes a stream element, reusing the bytes of the element encoded just before if it is the
   * same instance: a change goes to every watch of its namespace one after another, as one shared
   * node that nobody changes once built ({@code ChangeRecord.event()}), so eight watchers cost one
   * encoding instead of eight. The bytes are only read (a payload wraps them).
   */
  static byte[] encodeShared(JsonNode node) {
    Object[] last =
        Objects.requireNonNull(LAST_ELEMENT.get(), "LAST_ELEMENT starts and stays non-null");
    if (last[0] == node) {
      return (byte[]) last[1];
    }
    byte[] bytes = CborCodec.encode(node);
    LAST_ELEMENT.set(new Object[] {node, bytes});
    return bytes;
  }

  private static Payload reply(WireReply reply) {
    return DefaultPayload.create(CborCodec.encodeReply(reply));
  }
}
