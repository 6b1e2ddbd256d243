package io.zproc.rsocket;

/**
 * The server side's meaning: opens one {@link WireSession} per accepted connection.
 *
 * <p><b>Threading:</b> called on a transport (event loop) thread or, for an in-JVM client, on the
 * connecting thread; it must not block.
 */
@FunctionalInterface
public interface WireService {

  /**
   * Opens a session for a connection that passed the secret-key check.
   *
   * @param connection who connected
   * @return the session that serves this connection's requests
   */
  WireSession open(WireConnection connection);
}
