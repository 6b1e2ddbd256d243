package io.zproc;

/** The state contract on the in-JVM direct path: {@link ZProc#start()}. */
class DirectStateTest extends StateContractTest {
  @Override
  protected ZProcServer startServer() {
    return null;
  }

  @Override
  protected ZProc open(ZProcServer server) {
    return ZProc.start();
  }

  @Override
  protected String expectedTransport() {
    return "direct";
  }
}
