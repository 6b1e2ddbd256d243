package io.zproc.rsocket.codec;

/** Bytes that are not a valid wire message. The only exception the decoders throw. */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong with the bytes
   */
  public CodecException(String message) {
    super(message);
  }

  /**
   * @param message what was wrong with the bytes
   * @param cause the parser's failure
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
