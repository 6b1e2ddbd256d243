package io.zproc.rsocket;

/**
 * Real TCP: a {@code tcp://} server on a free port, the client with the direct path and the unix
 * shortcut off.
 */
class TcpTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false).withLocalSocket(false);

  private final WirePair pair =
      WirePair.start("tcp://127.0.0.1:0", WireTransportTest.serverOptions(), CLIENT);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "tcp";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }
}
