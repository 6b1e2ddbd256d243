package io.zproc.rsocket.lane;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The lane's frames, for client and server: {@code [u32 length][u32 id][CBOR body]}, the length
 * counting the id and the body.
 *
 * <p>The first frame a client sends is its setup; the server answers with id 0 and the ping reply
 * (or an error reply, then closes). Every later client frame is a request with a positive id,
 * answered by one reply frame with the same id. A client frame with a negative id, and no body,
 * cancels the request with the opposite id. A server frame with a negative id carries, as its body,
 * a progress message of the request with the opposite id, sent before its reply (see {@link
 * io.zproc.rsocket.WireRequest#progress()}).
 *
 * <p><b>Threading:</b> stateless; static methods only.
 */
final class LaneFrameCodec {
  private LaneFrameCodec() {}

  /** The bytes before a frame's body: its length and its id. */
  static final int HEADER = 8;

  private static final byte[] NO_BODY = new byte[0];

  /** Writes a frame into {@code out}, which must have room for {@link #HEADER} plus the body. */
  static void encode(ByteBuffer out, int id, byte[] body) {
    out.putInt(4 + body.length).putInt(id).put(body);
  }

  /** A frame in a heap buffer of its own, ready to be written. */
  static ByteBuffer encode(int id, byte[] body) {
    ByteBuffer frame = ByteBuffer.allocate(HEADER + body.length);
    encode(frame, id, body);
    return frame.flip();
  }

  /** A frame in a Netty buffer from {@code alloc}, ready to be written. */
  static ByteBuf encode(ByteBufAllocator alloc, int id, byte[] body) {
    ByteBuf out = alloc.ioBuffer(HEADER + body.length);
    out.writeInt(4 + body.length);
    out.writeInt(id);
    out.writeBytes(body);
    return out;
  }

  /** The client's frame that cancels request {@code id}. */
  static ByteBuffer cancel(int id) {
    return encode(-id, NO_BODY);
  }

  /**
   * The server's frame decoder: takes the length off, and refuses (with a {@code
   * TooLongFrameException}) a frame whose body is over {@code maxFrameSize}.
   */
  static LengthFieldBasedFrameDecoder frameDecoder(int maxFrameSize) {
    return new LengthFieldBasedFrameDecoder(maxFrameSize + 4, 0, 4, 0, 4, true);
  }

  /**
   * The length field of the frame at index {@code at} of {@code in}, which must have at least 4
   * bytes there.
   *
   * @throws IOException if it is too short to hold an id
   */
  static int length(ByteBuffer in, int at) throws IOException {
    int length = in.getInt(at);
    if (length < 4) {
      throw new IOException("malformed lane frame of length " + length);
    }
    return length;
  }

  /** The id of the frame at index {@code at}. */
  static int id(ByteBuffer in, int at) {
    return in.getInt(at + 4);
  }

  /** A copy of the body of the frame at index {@code at}, of the given length field. */
  static byte[] body(ByteBuffer in, int at, int length) {
    byte[] body = new byte[length - 4];
    in.get(at + HEADER, body);
    return body;
  }
}
