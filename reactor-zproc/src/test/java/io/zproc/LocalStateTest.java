package io.zproc;

/** The state contract over RSocket's in-JVM local transport. */
class LocalStateTest extends StateContractTest {
  @Override
  protected ZProcServer startServer() {
    return ZProcServer.start("local:state-contract-" + System.nanoTime());
  }

  @Override
  protected ZProc open(ZProcServer server) {
    return ZProc.connect(server.address(), ZProcOptions.defaults().directPath(false));
  }

  @Override
  protected String expectedTransport() {
    return "local";
  }
}
