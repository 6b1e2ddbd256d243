package io.zproc.internal.server;

import io.zproc.ZProcServer;

/**
 * What monitoring ({@code io.zproc.metrics}) reads of a {@link ZProcServer}, and nothing else of
 * it: every server that {@code ZProcServer.start()} makes is one. Not API: the public {@code
 * ZProcServer} interface does not change for it, and no public signature names it.
 *
 * <p><b>Threading:</b> thread-safe; returns at once.
 */
public interface ServerIntrospection {

  /** Read-only figures of this server: operations, atomic waits, namespaces, connections. */
  ServerStats stats();
}
