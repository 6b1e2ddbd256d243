package io.zproc;

/** The state contract through a tcp server's unix-domain socket (how child JVMs connect). */
class UnixStateTest extends StateContractTest {
  @Override
  protected ZProcServer startServer() {
    return ZProcServer.start("tcp://127.0.0.1:0");
  }

  @Override
  protected ZProc open(ZProcServer server) {
    return ZProc.connect(server.address(), ZProcOptions.defaults().directPath(false));
  }

  @Override
  protected String expectedTransport() {
    return "unix";
  }
}
