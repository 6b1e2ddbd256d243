package io.zproc;

import org.jspecify.annotations.Nullable;

/**
 * The base of reactor-zproc's errors: a failed server operation, a refused connection, a value that
 * cannot be mapped. Unchecked.
 *
 * <p>{@link #code()} tells the category: {@code INVALID_ARGUMENT}, {@code LIMIT_EXCEEDED}, {@code
 * UNAUTHORIZED}, {@code CONNECTION_CLOSED}, {@code BAD_REQUEST}, {@code UNKNOWN_OPERATION}, {@code
 * INTERNAL}, or {@code VALUE} for a value Jackson cannot map.
 */
public class ZProcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The code of an error raised on this side for a value Jackson cannot map. */
  public static final String VALUE = "VALUE";

  private final String code;

  /**
   * @param code the category, such as {@code LIMIT_EXCEEDED}
   * @param message what went wrong and what to do about it
   */
  public ZProcException(String code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * @param code the category
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure
   */
  public ZProcException(String code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The error's category, such as {@code LIMIT_EXCEEDED}. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return getClass().getName() + "[" + code + "]: " + getMessage();
  }
}
