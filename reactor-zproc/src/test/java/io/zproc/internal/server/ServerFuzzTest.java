package io.zproc.internal.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zproc.ServerOptions;
import io.zproc.internal.protocol.Fields;
import io.zproc.internal.protocol.Op;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireClientOptions;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.connect.Wire;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import reactor.core.publisher.Mono;

/**
 * A server end to end against requests made of the operations it knows and the argument names it
 * reads, filled with edge cases (wrong types, empty and huge strings, NaN, huge integers, deep and
 * empty trees, unknown names), over a socket and over the in-JVM path. Whatever comes, the answer
 * is a result or an error of the client's ({@code INVALID_ARGUMENT}, {@code LIMIT_EXCEEDED}, ...):
 * never {@code INTERNAL} (a failure of the server's), never a dropped connection, and the server
 * serves an ordinary request right after. Bounded in CI by its tries; raise them by hand with
 * {@code -Djqwik.tries.default=...} for a longer run.
 */
class ServerFuzzTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Duration ANSWER = Duration.ofSeconds(10);

  /**
   * How long a request that waits (a {@code when}, a watch) is given before it counts as waiting.
   */
  private static final Duration WAITING = Duration.ofMillis(30);

  /** The operations the server counts, without the stream, and a few it does not know. */
  private static final List<String> OPS =
      Stream.concat(
              RequestStats.OPS.stream().filter(op -> op != Op.WATCH).map(Op::wireName),
              Stream.of("$ping", "nope", ""))
          .collect(Collectors.toList());

  private static final List<String> ARGS =
      List.of(
          Fields.NS,
          Fields.KEY,
          Fields.VALUE,
          Fields.EXPECTED,
          Fields.ORIGIN,
          Fields.MAP,
          Fields.DELTA,
          Fields.BASE,
          Fields.READS,
          Fields.READ_ALL,
          Fields.REMOVES,
          Fields.TOKEN,
          Fields.IS,
          Fields.PROGRESS,
          Fields.AFTER,
          Fields.EPOCH,
          Fields.KEYS,
          Fields.EXCLUDE,
          Fields.CHANGED_ONLY,
          Fields.WITH_SNAPSHOT,
          Fields.ONCE,
          Fields.RETURN_PREVIOUS,
          Fields.NULL_IS_ABSENT,
          Fields.SLOTS,
          Fields.RUN,
          Fields.CODE,
          Fields.BATCH,
          Fields.FIRST,
          Fields.ITEMS,
          Fields.JOB,
          Fields.OUTCOME,
          "unknown");

  /** Codes a client may be answered with; anything else is the server's own failure. */
  private static final Set<String> CLIENT_ERRORS =
      Set.of(
          WireException.BAD_REQUEST,
          WireException.UNKNOWN_OPERATION,
          WireException.LIMIT_EXCEEDED,
          "INVALID_ARGUMENT",
          "CHANGES_LOST");

  private static StateServer server;
  private static WireClient socket;
  private static WireClient direct;

  @BeforeContainer
  static void start() {
    server =
        StateServer.start(
            "tcp://127.0.0.1:0", ServerOptions.defaults().localSocket(false).maxKeyLength(64));
    socket =
        Wire.connect(
                server.address(),
                WireClientOptions.defaults().withDirect(false).withLocalSocket(false))
            .block(ANSWER);
    direct = Wire.connect(server.address(), WireClientOptions.defaults()).block(ANSWER);
  }

  @AfterContainer
  static void stop() {
    socket.dispose();
    direct.dispose();
    server.close();
  }

  @Property(tries = 600)
  void anyRequest_resultOrAClientError_thenServedAsUsual(
      @ForAll("requests") WireRequest request, @ForAll boolean overSocket) {
    WireClient client = overSocket ? socket : direct;

    Throwable error =
        client
            .request(request)
            .timeout(WAITING, Mono.empty())
            .then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(ANSWER);

    if (error != null) {
      assertThat(error).isInstanceOf(WireException.class);
      assertThat(((WireException) error).code())
          .as("the answer to %s: %s", request, error.getMessage())
          .isIn(CLIENT_ERRORS);
    }
    assertThat(client.isDisposed()).isFalse();
    ObjectNode canary = F.objectNode().put(Fields.NS, "canary").put(Fields.KEY, "k");
    client.request(Op.GET.request(canary)).block(ANSWER);
  }

  @Property(tries = 200)
  void anyWatch_elementsOrAClientError(@ForAll("watchArgs") ObjectNode args) {
    Throwable error =
        socket.stream(Op.WATCH.request(args))
            .take(WAITING)
            .then(Mono.<Throwable>empty())
            .onErrorResume(Mono::just)
            .block(ANSWER);

    if (error != null) {
      assertThat(((WireException) error).code())
          .as("the answer to a watch of %s: %s", args, error.getMessage())
          .isIn(CLIENT_ERRORS);
    }
  }

  @Provide
  Arbitrary<WireRequest> requests() {
    return Combinators.combine(Arbitraries.of(OPS), args()).as(WireRequest::new);
  }

  @Provide
  Arbitrary<ObjectNode> watchArgs() {
    return args();
  }

  /** Mostly well-named arguments with any values, a namespace most of the time. */
  private static Arbitrary<ObjectNode> args() {
    Arbitrary<String> names =
        Arbitraries.oneOf(Arbitraries.of(ARGS), Arbitraries.strings().ofMaxLength(5));
    return Combinators.combine(
            Arbitraries.maps(names, trees(3)).ofMaxSize(6),
            Arbitraries.of("fuzz", "fuzz2", "").injectNull(0.1))
        .as(
            (fields, ns) -> {
              ObjectNode args = F.objectNode();
              fields.forEach(
                  (k, v) -> {
                    if (!k.equals("op")) {
                      args.set(k, v);
                    }
                  });
              if (ns != null && !args.has(Fields.NS)) {
                args.put(Fields.NS, ns);
              }
              return args;
            });
  }

  private static Arbitrary<JsonNode> trees(int depth) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            Arbitraries.just(F.nullNode()),
            Arbitraries.of(true, false).map(F::booleanNode),
            Arbitraries.integers().map(F::numberNode),
            Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, 1L).map(F::numberNode),
            Arbitraries.of(
                    Double.NaN,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    -0.0,
                    Double.MIN_VALUE,
                    1.5)
                .map(F::numberNode),
            Arbitraries.bigIntegers()
                .between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200))
                .map(F::numberNode),
            Arbitraries.just(F.numberNode(new BigDecimal("1e-400"))),
            Arbitraries.strings().ofMaxLength(8).map(F::textNode),
            Arbitraries.of("", "k", "a".repeat(100), "\u0000", "\uD83D\uDE00").map(F::textNode),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(8).map(F::binaryNode));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> child = trees(depth - 1);
    return Arbitraries.frequencyOf(
        Tuple.of(6, scalars),
        Tuple.of(1, child.list().ofMaxSize(4).map(list -> (JsonNode) F.arrayNode().addAll(list))),
        Tuple.of(
            1,
            Arbitraries.maps(Arbitraries.strings().ofMaxLength(3), child)
                .ofMaxSize(4)
                .map(map -> (JsonNode) F.objectNode().setAll(map))));
  }
}
