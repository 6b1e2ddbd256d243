package io.zproc.internal.server;

import io.zproc.ZProcServer;

/**
 * Test-only views into a server made by {@code ZProcServer.start}: what tests wait for and no
 * program needs, through the server's package-private seams.
 */
public final class ServerProbe {
  private ServerProbe() {}

  /** The number of open watches (change streams and watchers) on a namespace. */
  public static int watchCount(ZProcServer server, String namespace) {
    return ((StateServer) server).watchCount(namespace);
  }
}
