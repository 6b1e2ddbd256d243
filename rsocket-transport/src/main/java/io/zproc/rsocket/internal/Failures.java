package io.zproc.rsocket.internal;

import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.exceptions.RejectedSetupException;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/** Turns any failure into a wire error and back. */
public final class Failures {
  private Failures() {}

  /** The failure a client sees for this server-side error. */
  public static WireReply.Failure toFailure(Throwable error) {
    if (error instanceof WireException) {
      WireException w = (WireException) error;
      return new WireReply.Failure(w.code(), String.valueOf(w.getMessage()));
    }
    return new WireReply.Failure(
        WireException.INTERNAL,
        "the server failed on this request: "
            + error.getClass().getName()
            + ": "
            + error.getMessage());
  }

  /** As {@link #toFailure}, as an exception (for the direct path). */
  public static WireException toWireException(Throwable error) {
    if (error instanceof WireException) {
      return (WireException) error;
    }
    return toFailure(error).toException();
  }

  /** The client-side refusal of a request that the server's frame limit would refuse. */
  public static WireException tooLarge(String op, long size, int limit) {
    return new WireException(
        WireException.LIMIT_EXCEEDED,
        "request '"
            + op
            + "' encodes to "
            + size
            + " bytes, over the server's frame limit of "
            + limit
            + " bytes; raise the server's maxFrameSize option or send smaller values");
  }

  /** A request that cannot be encoded, such as one with an unpaired surrogate in a string. */
  public static WireException unencodable(String op, RuntimeException error) {
    return new WireException(
        WireException.INVALID_ARGUMENT,
        "request '" + op + "' cannot be sent: " + error.getMessage(),
        error);
  }

  /** The text a stream's terminal error carries: {@code [CODE] message}. */
  public static String streamErrorText(Throwable error) {
    WireReply.Failure f = toFailure(error);
    return "[" + f.code() + "] " + f.message();
  }

  /**
   * Maps a failure to connect to a {@link WireException}: as {@link #fromTransport}, and anything
   * else (such as the local transport's "could not find server") as {@link
   * WireException#CONNECTION_CLOSED}.
   */
  public static WireException fromConnect(Throwable error, String address) {
    Throwable mapped = fromTransport(error, address);
    if (mapped instanceof WireException) {
      return (WireException) mapped;
    }
    return new WireException(
        WireException.CONNECTION_CLOSED, "connection to " + address + " failed: " + error, error);
  }

  /** Maps a client-side transport error to a {@link WireException}. */
  public static Throwable fromTransport(Throwable error, String address) {
    if (error instanceof WireException) {
      return error;
    }
    if (error instanceof RejectedSetupException) {
      return new WireException(
          WireException.UNAUTHORIZED,
          "the server at " + address + " refused the connection: " + error.getMessage(),
          error);
    }
    if (error instanceof ApplicationErrorException) {
      String text = String.valueOf(error.getMessage());
      if (text.startsWith("[")) {
        int end = text.indexOf("] ");
        if (end > 1) {
          return new WireException(text.substring(1, end), text.substring(end + 2));
        }
      }
      return new WireException(WireException.INTERNAL, text, error);
    }
    if (error instanceof ClosedChannelException
        || error instanceof ConnectException
        || error instanceof io.rsocket.exceptions.ConnectionErrorException
        || error instanceof io.rsocket.exceptions.ConnectionCloseException
        || error instanceof java.io.IOException
        || (error instanceof java.util.concurrent.CancellationException)) {
      return new WireException(
          WireException.CONNECTION_CLOSED,
          "connection to "
              + address
              + " failed: "
              + error.getClass().getSimpleName()
              + (error.getMessage() == null ? "" : ": " + error.getMessage()),
          error);
    }
    return error;
  }
}
