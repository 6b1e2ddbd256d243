package io.zproc;

/**
 * The category of a {@link ZProcException}, as {@link ZProcException#code()} tells it: compare with
 * these constants rather than with the message. Codes from the server keep their names on the wire
 * ({@code docs/wire-format.md}); a code this version does not know is {@link #UNKNOWN}.
 */
public enum ErrorCode {
  /**
   * The server could not decode a request (not CBOR, not a map, no operation). A client of another
   * protocol, or a bug: the connection lives on, but the request is lost.
   */
  BAD_REQUEST,

  /**
   * The server does not know the operation: the client is newer than the server. Upgrade the
   * server, or use a client of its version.
   */
  UNKNOWN_OPERATION,

  /**
   * An argument is missing or of the wrong type, such as {@code increment} of a value that is not
   * an integer. The message names the operation and the argument; fix the call.
   */
  INVALID_ARGUMENT,

  /**
   * A server limit was exceeded: a key, a frame, the watches of a connection, the atomic waiters of
   * a namespace, the namespaces. The message names the {@link ServerOptions} setting that raises
   * it; raise it, or use less.
   */
  LIMIT_EXCEEDED,

  /**
   * The server refused the connection: a wrong or missing secret key. Set {@link
   * ZProcOptions#secretKey(String)} to the server's key.
   */
  UNAUTHORIZED,

  /**
   * The connection is closed or could not be made: the server is gone, or the context was closed.
   * Change streams and waits resume by themselves after a short drop; other calls may be retried
   * once the server is back.
   */
  CONNECTION_CLOSED,

  /**
   * The server's store ({@link ServerOptions#store(String)}: Redis) cannot be reached, or answered
   * too late: the server cannot serve the state until it is back, which it notices by itself. A
   * write that failed so may or may not have been applied: read the state before retrying it.
   */
  STORE_UNAVAILABLE,

  /** The server failed while handling a request: a bug, whose message and log tell more. */
  INTERNAL,

  /**
   * A change stream or a wait fell behind the server's journal, or resumed on a restarted server:
   * changes it needed are gone. Thrown as {@link ChangesLostException}; read the state anew and
   * subscribe again, or raise {@code ServerOptions.journalSize} and {@code journalBytes}.
   */
  CHANGES_LOST,

  /**
   * A value Jackson cannot map to or from a tree (raised on this side, before any request). Use a
   * value of plain data: maps, lists, strings, numbers, booleans, null, or a Jackson-mappable bean.
   */
  VALUE,

  /**
   * A task threw in another process or thread: a {@link RemoteException}, with the remote class,
   * message and stack trace. Fix the task, or retry it with {@link ProcessOptions}.
   */
  REMOTE,

  /**
   * A process or a {@code processMap} worker failed or could not start: a {@link
   * ProcessFailedException} or a failed map, whose message says why (exit code, the task's
   * exception as the cause).
   */
  PROCESS_FAILED,

  /**
   * A code this version does not know, from a newer peer or a custom transport service; the
   * exception's cause carries the original code. Upgrade this side.
   */
  UNKNOWN;

  /** The constant named {@code name}, or {@link #UNKNOWN}. */
  static ErrorCode named(String name) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      return UNKNOWN;
    }
  }
}
