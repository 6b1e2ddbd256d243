package io.zproc;

import org.jspecify.annotations.Nullable;

/**
 * A process ended without a result: its task threw (the cause is the {@link RemoteException}), it
 * exited with a non-zero status, or it died.
 */
public class ProcessFailedException extends ZProcException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode the process's exit code
   * @param message what happened
   * @param cause the task's exception, or null
   */
  public ProcessFailedException(int exitCode, String message, @Nullable RemoteException cause) {
    super(ErrorCode.PROCESS_FAILED, message, cause);
    this.exitCode = exitCode;
  }

  /** The process's exit code. */
  public int exitCode() {
    return exitCode;
  }
}
