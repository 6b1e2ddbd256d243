package io.zproc;

/**
 * A watcher or change stream fell behind the server's journal: the changes it needed next are no
 * longer kept. Nothing is ever skipped silently; this ends the stream instead.
 *
 * <p>The message says how many changes were lost and that {@code ServerOptions.journalSize} and
 * {@code ServerOptions.journalBytes} raise the bound.
 */
public class ChangesLostException extends ZProcException {
  private static final long serialVersionUID = 1L;

  /**
   * The code of this error.
   *
   * @deprecated compare {@link #code()} with {@link ErrorCode#CHANGES_LOST}; to be removed in 1.0
   */
  @Deprecated public static final String CODE = "CHANGES_LOST";

  private final long lost;

  /**
   * @param lost how many changes were lost
   * @param message what was lost and which options raise the journal's bound
   * @param cause the underlying error, or null
   */
  public ChangesLostException(long lost, String message, Throwable cause) {
    super(ErrorCode.CHANGES_LOST, message, cause);
    this.lost = lost;
  }

  /** How many changes the stream could not deliver. */
  public long lost() {
    return lost;
  }
}
