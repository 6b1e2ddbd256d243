package io.zproc.cli;

import io.zproc.ErrorCode;
import io.zproc.ZProcException;

/** What the command prints of a failure: the message a user can act on, no stack trace. */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    Throwable t = e;
    // block() wraps checked exceptions; the cause says what happened
    while (t.getCause() != null
        && !(t instanceof ZProcException)
        && (t.getMessage() == null || t.getClass() == RuntimeException.class)) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (t instanceof ZProcException) {
      ErrorCode code = ((ZProcException) t).code();
      String hint =
          code == ErrorCode.UNAUTHORIZED
              ? "; zproc reads the key from --secret-key-file FILE (owner-only)"
              : "";
      return message + hint + " (" + code + ")";
    }
    return message == null ? t.getClass().getName() : message;
  }
}
