package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A small service for transport tests. Requests: {@code echo} (returns its arguments), {@code
 * empty}, {@code fail} ({@code code}, {@code message}: a {@link WireException}), {@code crash} (an
 * {@link IllegalStateException} as an error signal), {@code throw} (thrown at once) and {@code
 * delay} (its arguments back after {@code ms} milliseconds). Streams: {@code count} (0, 1, 2, ...
 * on demand, up to {@code limit} if given) and {@code failAfter} ({@code n} elements, then a {@link
 * WireException} with {@code code}).
 */
final class TestService implements WireService {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  final List<WireConnection> connections = new CopyOnWriteArrayList<>();
  final AtomicInteger closedSessions = new AtomicInteger();
  final AtomicLong streamed = new AtomicLong();
  final AtomicLong cancelledStreams = new AtomicLong();

  /** The largest demand a {@code count} stream was asked for at once. */
  final AtomicLong largestRequest = new AtomicLong();

  final AtomicLong cancelledRequests = new AtomicLong();
  final AtomicLong delaysStarted = new AtomicLong();

  /** A {@code delay} request: answers with its arguments after {@code ms} milliseconds. */
  static WireRequest delay(long ms) {
    WireRequest request = WireRequest.of("delay");
    request.args().put("ms", ms);
    return request;
  }

  /** An {@code echo} request with these arguments. */
  static WireRequest echo(JsonNode args) {
    WireRequest request = WireRequest.of("echo");
    request.args().setAll((ObjectNode) args);
    return request;
  }

  /** An {@code echo} request with one number argument {@code i}. */
  static WireRequest echo(int i) {
    WireRequest request = WireRequest.of("echo");
    request.args().put("i", i);
    return request;
  }

  /** An {@code echo} request with one text argument {@code text}. */
  static WireRequest echo(String text) {
    WireRequest request = WireRequest.of("echo");
    request.args().put("text", text);
    return request;
  }

  static WireRequest request(String op) {
    return WireRequest.of(op);
  }

  static WireRequest fail(String code, String message) {
    WireRequest request = WireRequest.of("fail");
    request.args().put("code", code).put("message", message);
    return request;
  }

  static WireRequest count(long limit) {
    WireRequest request = WireRequest.of("count");
    if (limit >= 0) {
      request.args().put("limit", limit);
    }
    return request;
  }

  static WireRequest blobs(int size) {
    WireRequest request = WireRequest.of("blobs");
    request.args().put("size", size);
    return request;
  }

  static WireRequest failAfter(int n, String code) {
    WireRequest request = WireRequest.of("failAfter");
    request.args().put("n", n).put("code", code);
    return request;
  }

  @Override
  public WireSession open(WireConnection connection) {
    connections.add(connection);
    return new WireSession() {
      @Override
      public Mono<JsonNode> request(WireRequest request) {
        JsonNode args = request.args();
        switch (request.op()) {
          case "echo":
            return Mono.just(args);
          case "empty":
            return Mono.empty();
          case "delay":
            delaysStarted.incrementAndGet();
            return Mono.delay(Duration.ofMillis(args.path("ms").asLong()))
                .doOnCancel(cancelledRequests::incrementAndGet)
                .thenReturn(args);
          case "fail":
            return Mono.error(
                new WireException(args.path("code").asText(), args.path("message").asText()));
          case "progress":
            // Sends {"step": 1} as progress where the transport can, then answers whether it could.
            return Mono.defer(
                () -> {
                  Consumer<JsonNode> consumer = request.progress();
                  if (consumer != null) {
                    consumer.accept(JsonNodeFactory.instance.objectNode().put("step", 1));
                  }
                  return Mono.delay(Duration.ofMillis(args.path("ms").asLong()))
                      .doOnCancel(cancelledRequests::incrementAndGet)
                      .thenReturn(
                          (JsonNode)
                              JsonNodeFactory.instance.objectNode().put("sent", consumer != null));
                });
          case "thread":
            // Where the server runs requests: the thread's name, and whether Reactor deems it
            // non-blocking (then nothing continued there may block).
            return Mono.fromSupplier(
                () ->
                    (JsonNode)
                        JsonNodeFactory.instance
                            .objectNode()
                            .put("name", Thread.currentThread().getName())
                            .put(
                                "nonBlocking",
                                reactor.core.scheduler.Schedulers.isInNonBlockingThread()));
          case "crash":
            return Mono.error(new IllegalStateException("crashed on purpose"));
          case "throw":
            throw new IllegalStateException("thrown on purpose");
          default:
            return Mono.error(
                new WireException(
                    WireException.UNKNOWN_OPERATION, "no operation '" + request.op() + "'"));
        }
      }

      @Override
      public Flux<JsonNode> stream(WireRequest request) {
        JsonNode args = request.args();
        switch (request.op()) {
          case "count":
            {
              Flux<JsonNode> numbers =
                  Flux.<JsonNode, Long>generate(
                          () -> 0L,
                          (i, sink) -> {
                            streamed.incrementAndGet();
                            sink.next(F.numberNode(i));
                            return i + 1;
                          })
                      .doOnCancel(cancelledStreams::incrementAndGet)
                      .doOnRequest(n -> largestRequest.accumulateAndGet(n, Math::max));
              return args.has("limit") ? numbers.take(args.get("limit").asLong(), true) : numbers;
            }
          case "blobs":
            {
              // endless text elements of args.size characters each
              JsonNode blob = F.textNode("x".repeat(args.path("size").asInt()));
              return Flux.<JsonNode>generate(
                      sink -> {
                        streamed.incrementAndGet();
                        sink.next(blob);
                      })
                  .doOnCancel(cancelledStreams::incrementAndGet);
            }
          case "failAfter":
            return Flux.range(0, args.path("n").asInt())
                .<JsonNode>map(F::numberNode)
                .concatWith(
                    Mono.error(new WireException(args.path("code").asText(), "failed on purpose")));
          default:
            return WireSession.super.stream(request);
        }
      }

      @Override
      public void closed() {
        closedSessions.incrementAndGet();
      }
    };
  }
}
