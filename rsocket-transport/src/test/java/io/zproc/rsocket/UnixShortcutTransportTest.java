package io.zproc.rsocket;

/**
 * A {@code tcp://} server reached through the unix-domain socket it makes beside its port, as a
 * client on the same host (the direct path off) does.
 */
class UnixShortcutTransportTest implements WireTransportTest {
  private static final WireClientOptions CLIENT =
      WireTransportTest.clientOptions().withDirect(false);

  private final WirePair pair =
      WirePair.start("tcp://127.0.0.1:0", WireTransportTest.serverOptions(), CLIENT);

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
