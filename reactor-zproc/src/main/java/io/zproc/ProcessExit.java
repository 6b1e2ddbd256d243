package io.zproc;

/**
 * Thrown by a task or callback to end its process with a status, as {@code sys.exit(n)} did in the
 * original. Status 0 is a normal end (the result completes empty); any other status fails the
 * parent's {@link ZProcess#result()} with a {@link ProcessFailedException} carrying it.
 */
public class ProcessExit extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the exit status, 0 to 255
   * @throws IllegalArgumentException if outside 0..255
   */
  public ProcessExit(int status) {
    super("process exit with status " + status, null, false, false);
    if (status < 0 || status > 255) {
      throw new IllegalArgumentException("exit status must be 0..255, got " + status);
    }
    this.status = status;
  }

  /** The exit status. */
  public int status() {
    return status;
  }
}
