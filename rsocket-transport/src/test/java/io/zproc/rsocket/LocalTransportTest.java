package io.zproc.rsocket;

/** An in-JVM {@code local:name} server through RSocket's local transport, the direct path off. */
class LocalTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false);

  private final WirePair pair =
      WirePair.start(WirePair.localAddress(), WireTransportTest.serverOptions(), CLIENT);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "local";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }
}
