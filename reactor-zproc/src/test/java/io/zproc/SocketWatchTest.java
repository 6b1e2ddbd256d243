package io.zproc;

/** Watching and atomic through a socket (the unix-domain socket of the tcp server). */
class SocketWatchTest extends WatchContractTest {
  @Override
  protected ZProcOptions watcherOptions() {
    return ZProcOptions.defaults().directPath(false);
  }
}
