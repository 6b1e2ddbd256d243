package io.zproc.rsocket.internal;

import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireSession;

/**
 * A server of this JVM as the direct path sees it ({@link DirectRegistry}): it opens in-JVM
 * sessions, after the same key check as a socket connection.
 */
public interface DirectEndpoint {

  /** Whether the server has closed; a closed one opens no session. */
  boolean isDisposed();

  /** The server's largest frame, in bytes: the direct path keeps to the same limit. */
  int maxFrameSize();

  /**
   * Opens a session for an in-JVM client.
   *
   * @param onServerClose run once when the server closes the session (not when the client does)
   * @throws WireException {@link WireException#UNAUTHORIZED} for a wrong key, {@link
   *     WireException#CONNECTION_CLOSED} if the server is closed
   */
  WireSession openDirect(Setup setup, Runnable onServerClose);
}
