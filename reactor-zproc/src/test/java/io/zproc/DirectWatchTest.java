package io.zproc;

/** Watching and atomic on the in-JVM direct path. */
class DirectWatchTest extends WatchContractTest {
  @Override
  protected ZProcOptions watcherOptions() {
    return ZProcOptions.defaults();
  }
}
