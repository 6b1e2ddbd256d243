package io.zproc;

/** The state contract over real TCP. */
class TcpStateTest extends StateContractTest {
  @Override
  protected ZProcServer startServer() {
    return ZProcServer.start("tcp://127.0.0.1:0");
  }

  @Override
  protected ZProc open(ZProcServer server) {
    return ZProc.connect(
        server.address(), ZProcOptions.defaults().directPath(false).localSocket(false));
  }

  @Override
  protected String expectedTransport() {
    return "tcp";
  }
}
