package io.zproc.rsocket;

/** A {@code unix:///path} server, the client with the direct path off. */
class UnixTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false);

  private final WirePair pair =
      WirePair.start(WirePair.unixAddress(), WireTransportTest.serverOptions(), CLIENT);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "unix";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }
}
