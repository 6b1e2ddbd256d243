package io.zproc.internal.store;

import io.zproc.internal.protocol.ErrorCodes;
import io.zproc.rsocket.WireException;

/** The errors a store raises, with the wire codes they travel under. */
public final class StoreErrors {
  private StoreErrors() {}

  /** The wire code of {@code ErrorCode.STORE_UNAVAILABLE}. */
  public static final String UNAVAILABLE = ErrorCodes.STORE_UNAVAILABLE;

  /** The store cannot be reached, or answered too late. */
  public static WireException unavailable(String store, Throwable cause) {
    return new WireException(
        UNAVAILABLE,
        "the server's store "
            + store
            + " cannot be reached ("
            + cause.getClass().getSimpleName()
            + ": "
            + cause.getMessage()
            + "); the server serves again once it is back. A write that failed so may or may not"
            + " have been applied: read the state before retrying it",
        cause);
  }
}
