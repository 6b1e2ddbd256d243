package io.zproc.rsocket;

/** A {@code ws://host:port/path} server, the client with the direct path off. */
class WebsocketTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false);

  private final WirePair pair =
      WirePair.start("ws://127.0.0.1:0/zproc", WireTransportTest.serverOptions(), CLIENT);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "ws";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }
}
