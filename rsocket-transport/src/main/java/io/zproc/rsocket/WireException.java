package io.zproc.rsocket;

import java.util.Objects;

/**
 * An error with a code, as carried by an error reply or a stream's terminal error.
 *
 * <p>Codes are upper-case words. The transport defines the generic ones as constants here; a {@link
 * WireService} may use its own.
 */
public class WireException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The request could not be decoded: not CBOR, not a map, or no {@code op}. */
  public static final String BAD_REQUEST = "BAD_REQUEST";

  /** The operation name is not known to the server. */
  public static final String UNKNOWN_OPERATION = "UNKNOWN_OPERATION";

  /** An argument is missing or of the wrong type. */
  public static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";

  /** A configured limit (frame size, key length, ...) was exceeded. */
  public static final String LIMIT_EXCEEDED = "LIMIT_EXCEEDED";

  /** The connection was refused: a wrong or missing secret key. */
  public static final String UNAUTHORIZED = "UNAUTHORIZED";

  /** The connection is closed or could not be made. */
  public static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";

  /** The server failed while handling the request. */
  public static final String INTERNAL = "INTERNAL";

  private final String code;

  /**
   * @param code the error code, such as {@link #BAD_REQUEST}
   * @param message what went wrong and what to do about it
   */
  public WireException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code the error code, such as {@link #CONNECTION_CLOSED}
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure
   */
  public WireException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The error code. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "WireException[" + code + "]: " + getMessage();
  }
}
