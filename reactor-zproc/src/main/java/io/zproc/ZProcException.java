package io.zproc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The base of reactor-zproc's errors: a failed server operation, a refused connection, a value that
 * cannot be mapped. Unchecked.
 *
 * <p>{@link #code()} tells the category as an {@link ErrorCode}, such as {@link
 * ErrorCode#LIMIT_EXCEEDED} or {@link ErrorCode#UNAUTHORIZED}; each constant's javadoc says when it
 * happens and what to do.
 */
public class ZProcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * The code of an error raised on this side for a value Jackson cannot map.
   *
   * @deprecated compare {@link #code()} with {@link ErrorCode#VALUE}; to be removed in 1.0
   */
  @Deprecated public static final String VALUE = "VALUE";

  private final ErrorCode code;

  /**
   * @param code the category, such as {@link ErrorCode#LIMIT_EXCEEDED}
   * @param message what went wrong and what to do about it
   */
  public ZProcException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code the category
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure
   */
  public ZProcException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code the category's name, such as {@code "LIMIT_EXCEEDED"}; a name that is no {@link
   *     ErrorCode} is {@link ErrorCode#UNKNOWN}
   * @param message what went wrong and what to do about it
   * @deprecated use {@link #ZProcException(ErrorCode, String)}; to be removed in 1.0
   */
  @Deprecated
  public ZProcException(String code, String message) {
    this(ErrorCode.named(code), message);
  }

  /**
   * @param code the category's name; a name that is no {@link ErrorCode} is {@link
   *     ErrorCode#UNKNOWN}
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure
   * @deprecated use {@link #ZProcException(ErrorCode, String, Throwable)}; to be removed in 1.0
   */
  @Deprecated
  public ZProcException(String code, String message, @Nullable Throwable cause) {
    this(ErrorCode.named(code), message, cause);
  }

  /** The error's category, such as {@link ErrorCode#LIMIT_EXCEEDED}. */
  public ErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return getClass().getName() + "[" + code + "]: " + getMessage();
  }
}
