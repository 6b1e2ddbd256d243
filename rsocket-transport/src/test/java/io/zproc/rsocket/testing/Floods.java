package io.zproc.rsocket.testing;

import java.util.Arrays;

/** Payloads that are small on the wire and huge once decoded. */
public final class Floods {
  private Floods() {}

  /**
   * A CBOR array of {@code count} empty maps: one byte each on the wire, an {@code ObjectNode} each
   * once decoded (15 MiB of them make about 1.3 GB of trees).
   */
  public static byte[] emptyMaps(int count) {
    byte[] flood = new byte[count + 5];
    flood[0] = (byte) 0x9a; // an array with a 4-byte length
    flood[1] = (byte) (count >>> 24);
    flood[2] = (byte) (count >>> 16);
    flood[3] = (byte) (count >>> 8);
    flood[4] = (byte) count;
    Arrays.fill(flood, 5, flood.length, (byte) 0xa0);
    return flood;
  }
}
