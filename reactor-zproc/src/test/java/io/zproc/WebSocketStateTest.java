package io.zproc;

/** The state contract over a WebSocket. */
class WebSocketStateTest extends StateContractTest {
  @Override
  protected ZProcServer startServer() {
    return ZProcServer.start("ws://127.0.0.1:0/zproc");
  }

  @Override
  protected ZProc open(ZProcServer server) {
    return ZProc.connect(server.address(), ZProcOptions.defaults().directPath(false));
  }

  @Override
  protected String expectedTransport() {
    return "ws";
  }
}
