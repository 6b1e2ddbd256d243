package io.zproc.rsocket.lane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.internal.Setup;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import reactor.core.publisher.Mono;

/**
 * The lane server against any bytes after a valid setup, and against any bytes instead of one: a
 * stream of frames with random lengths, ids and bodies (valid requests among them), cut into random
 * chunks. The handler never throws into the pipeline; it answers what it can read, and closes the
 * connection on what it cannot. Every buffer is released (the leak detector runs at paranoid).
 */
class LaneHandlerFuzzTest {
  private static final int MAX_FRAME = 4096;

  /** A session that answers every request with its own arguments. */
  private static final LaneServer.Opener ECHO =
      (setup, close) ->
          new WireSession() {
            @Override
            public Mono<JsonNode> request(WireRequest request) {
              return Mono.just(request.args());
            }
          };

  @Property(tries = 500)
  void anyFramesAfterASetup_neverThrown_allReleased(
      @ForAll("frames") List<byte[]> frames, @ForAll("chunking") int chunk) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            LaneFrameCodec.frameDecoder(MAX_FRAME), new LaneHandler(ECHO, MAX_FRAME, null));
    try {
      feed(channel, frame(0, new Setup(null, "fuzz", 7).encode()), chunk);
      for (byte[] frame : frames) {
        if (!channel.isOpen()) {
          break;
        }
        feed(channel, frame, chunk);
      }
      channel.checkException();
    } finally {
      drainOutbound(channel);
      channel.finishAndReleaseAll();
    }
  }

  @Property(tries = 300)
  void anyBytesInsteadOfASetup_neverThrown_allReleased(
      @ForAll("bytes") byte[] junk, @ForAll("chunking") int chunk) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            LaneFrameCodec.frameDecoder(MAX_FRAME), new LaneHandler(ECHO, MAX_FRAME, null));
    try {
      feed(channel, junk, chunk);
      channel.checkException();
    } catch (TooLongFrameException expected) {
      // the decoder refuses a length over the limit; the connection is not kept
      assertThat(junk.length).isGreaterThanOrEqualTo(4);
    } finally {
      drainOutbound(channel);
      channel.finishAndReleaseAll();
    }
  }

  @Provide
  Arbitrary<Integer> chunking() {
    return Arbitraries.integers().between(1, 64);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  /** Frames: valid requests, cancels of any id, reused ids, and garbage of any stated length. */
  @Provide
  Arbitrary<List<byte[]>> frames() {
    Arbitrary<Integer> ids = Arbitraries.integers().between(-3, 3).injectDuplicates(0.3);
    Arbitrary<byte[]> valid =
        ids.map(
            id -> {
              WireRequest request = WireRequest.of("echo");
              request.args().put("id", id);
              return frame(id, CborCodec.encodeRequest(request));
            });
    Arbitrary<byte[]> garbage = Combinators.combine(ids, bytes()).as(LaneHandlerFuzzTest::frame);
    Arbitrary<byte[]> lying = bytes().map(b -> b.length < 4 ? b : withLength(b, Integer.MAX_VALUE));
    return Arbitraries.frequencyOf(Tuple.of(5, valid), Tuple.of(4, garbage), Tuple.of(1, lying))
        .list()
        .ofMaxSize(12);
  }

  private static byte[] frame(int id, byte[] body) {
    ByteBuf buf = Unpooled.buffer(8 + body.length);
    buf.writeInt(4 + body.length).writeInt(id).writeBytes(body);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  private static byte[] withLength(byte[] bytes, int length) {
    byte[] copy = bytes.clone();
    Unpooled.wrappedBuffer(copy).setInt(0, length);
    return copy;
  }

  private static void feed(EmbeddedChannel channel, byte[] bytes, int chunk) {
    for (int i = 0; i < bytes.length && channel.isOpen(); i += chunk) {
      int n = Math.min(chunk, bytes.length - i);
      channel.writeInbound(Unpooled.copiedBuffer(bytes, i, n));
      channel.runPendingTasks();
    }
  }

  private static void drainOutbound(EmbeddedChannel channel) {
    for (Object out; (out = channel.readOutbound()) != null; ) {
      ReferenceCountUtil.release(out);
    }
  }
}
