package io.zproc.rsocket;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The reply to one request-response: a result (possibly none) or an error with a code.
 *
 * <p>On the wire a reply is one CBOR map: {@code {"r": result}}, {@code {}} for no result, or
 * {@code {"e": code, "m": message}} for an error (see {@code docs/wire-format.md}).
 */
public sealed interface WireReply {

  /**
   * A successful reply.
   *
   * @param value the result tree, or {@code null} for "no result" (a JSON null result is a {@code
   *     NullNode})
   */
  record Result(@Nullable JsonNode value) implements WireReply {}

  /**
   * An error reply.
   *
   * @param code the error code, such as {@link WireException#INVALID_ARGUMENT}
   * @param message what went wrong and what to do
   */
  record Failure(String code, String message) implements WireReply {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    /** This failure as an exception. */
    public WireException toException() {
      return new WireException(code, message);
    }
  }
}
