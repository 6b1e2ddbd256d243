package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Serves the requests of one connection.
 *
 * <p><b>Threading:</b> methods are called on transport threads (or, for an in-JVM client, on the
 * caller's thread), possibly concurrently; they must not block. <b>Errors:</b> a {@link
 * WireException} reaches the client with its code; any other exception reaches it as {@link
 * WireException#INTERNAL}. The connection lives on after any error.
 */
public interface WireSession {

  /**
   * Handles a request-response.
   *
   * @return the result tree, or empty for "no result"; errors with a {@link WireException}
   */
  Mono<JsonNode> request(WireRequest request);

  /**
   * Handles a request-stream. The transport honours the subscriber's demand end to end.
   *
   * @return the stream of result trees; errors with a {@link WireException}
   */
  default Flux<JsonNode> stream(WireRequest request) {
    return Flux.error(
        new WireException(
            WireException.UNKNOWN_OPERATION,
            "operation '" + request.op() + "' is not a stream on this server"));
  }

  /** Called once when the connection is closed, whatever the reason. */
  default void closed() {}
}
