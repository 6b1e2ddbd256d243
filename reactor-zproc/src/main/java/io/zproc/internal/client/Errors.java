package io.zproc.internal.client;

import io.zproc.ChangesLostException;
import io.zproc.ErrorCode;
import io.zproc.ZProcException;
import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.rsocket.WireException;

/**
 * Wire errors as the public {@link ZProcException}, with hints where the user can act; the code
 * maps by {@link ErrorCodes}.
 */
final class Errors {
  private Errors() {}

  static ZProcException toZProc(WireException e) {
    String message = String.valueOf(e.getMessage());
    ErrorCode code = ErrorCodes.of(e);
    if (code == ErrorCode.CHANGES_LOST) {
      long lost = 0;
      int space = message.indexOf(' ');
      if (space > 0) {
        try {
          lost = Long.parseLong(message.substring(0, space));
        } catch (NumberFormatException ignored) {
          // the count is informative only
        }
      }
      return new ChangesLostException(lost, message, e);
    }
    if (code == ErrorCode.UNAUTHORIZED) {
      message += " (set ZProcOptions.secretKey(...) to the server's secret key)";
    }
    return new ZProcException(code, message, e);
  }
}
