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

  /**
   * A request {@code {"op": op, "v": <count empty maps>}}: what a client that has the key can send
   * to make the server decode a huge tree out of a frame under the limit.
   */
  public static byte[] emptyMapsRequest(String op, int count) {
    byte[] flood = emptyMaps(count);
    byte[] name = op.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (name.length > 23) {
      throw new IllegalArgumentException("an op of at most 23 bytes");
    }
    byte[] head = new byte[1 + 3 + 1 + name.length + 2];
    int i = 0;
    head[i++] = (byte) 0xa2; // a map of two entries
    head[i++] = 0x62; // "op"
    head[i++] = 'o';
    head[i++] = 'p';
    head[i++] = (byte) (0x60 + name.length);
    System.arraycopy(name, 0, head, i, name.length);
    i += name.length;
    head[i++] = 0x61; // "v"
    head[i] = 'v';
    byte[] request = Arrays.copyOf(head, head.length + flood.length);
    System.arraycopy(flood, 0, request, head.length, flood.length);
    return request;
  }
}
