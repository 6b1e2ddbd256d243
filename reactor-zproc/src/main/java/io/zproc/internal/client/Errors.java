package io.zproc.internal.client;

import io.zproc.ZProcException;
import io.zproc.rsocket.WireException;

/** Wire errors as the public {@link ZProcException}, with hints where the user can act. */
final class Errors {
  private Errors() {}

  static ZProcException toZProc(WireException e) {
    String message = String.valueOf(e.getMessage());
    if (WireException.UNAUTHORIZED.equals(e.code())) {
      message += " (set ZProcOptions.secretKey(...) to the server's secret key)";
    }
    return new ZProcException(e.code(), message, e);
  }
}
