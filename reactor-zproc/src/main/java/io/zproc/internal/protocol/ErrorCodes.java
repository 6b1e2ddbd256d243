package io.zproc.internal.protocol;

import io.zproc.ErrorCode;
import io.zproc.rsocket.WireException;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the error codes on the wire (the transport's {@link WireException} codes and
 * the state server's own) meet the public {@link ErrorCode}: the transport knows nothing of {@code
 * io.zproc}, so its codes stay strings there and are mapped here.
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  /**
   * The state server's code for a stream or wait whose changes are no longer in the journal, or
   * that resumed on a restarted server.
   */
  public static final String CHANGES_LOST = "CHANGES_LOST";

  /** The state server's code for an operation its store (Redis) could not serve. */
  public static final String STORE_UNAVAILABLE = "STORE_UNAVAILABLE";

  private static final Map<String, ErrorCode> BY_WIRE_CODE =
      Map.of(
          WireException.BAD_REQUEST,
          ErrorCode.BAD_REQUEST,
          WireException.UNKNOWN_OPERATION,
          ErrorCode.UNKNOWN_OPERATION,
          WireException.INVALID_ARGUMENT,
          ErrorCode.INVALID_ARGUMENT,
          WireException.LIMIT_EXCEEDED,
          ErrorCode.LIMIT_EXCEEDED,
          WireException.UNAUTHORIZED,
          ErrorCode.UNAUTHORIZED,
          WireException.CONNECTION_CLOSED,
          ErrorCode.CONNECTION_CLOSED,
          WireException.INTERNAL,
          ErrorCode.INTERNAL,
          CHANGES_LOST,
          ErrorCode.CHANGES_LOST,
          STORE_UNAVAILABLE,
          ErrorCode.STORE_UNAVAILABLE);

  private static final Map<ErrorCode, String> WIRE_CODES = new EnumMap<>(ErrorCode.class);

  static {
    BY_WIRE_CODE.forEach((wire, code) -> WIRE_CODES.put(code, wire));
  }

  /** The code of a wire error: {@link ErrorCode#UNKNOWN} for one this version does not know. */
  public static ErrorCode of(String wireCode) {
    return BY_WIRE_CODE.getOrDefault(wireCode, ErrorCode.UNKNOWN);
  }

  /** The code of a wire error. */
  public static ErrorCode of(WireException error) {
    return of(error.code());
  }

  /** The code's name on the wire, or null for a code raised on this side only. */
  public static @Nullable String wireCode(ErrorCode code) {
    return WIRE_CODES.get(code);
  }
}
