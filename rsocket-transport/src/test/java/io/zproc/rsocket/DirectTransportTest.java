package io.zproc.rsocket;

/**
 * A {@code tcp://} server and a client in the same JVM with default options: the direct path, no
 * socket.
 */
class DirectTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT = WireTransportTest.clientOptions();

  private final WirePair pair =
      WirePair.start("tcp://127.0.0.1:0", WireTransportTest.serverOptions(), CLIENT);

  @Override
  public WirePair pair() {
    return pair;
  }

  @Override
  public String expectedTransport() {
    return "direct";
  }

  @Override
  public WireClientOptions clientOptionsOfThisPath() {
    return CLIENT;
  }
}
