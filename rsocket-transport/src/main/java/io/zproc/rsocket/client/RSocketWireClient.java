package io.zproc.rsocket.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.util.DefaultPayload;
import io.zproc.rsocket.FluxMapError;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireReply;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireServerOptions;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.Failures;
import io.zproc.rsocket.internal.FluxCappedDemand;
import io.zproc.rsocket.internal.ServerHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;

/** A connection over RSocket: encodes requests, decodes replies at the edge and releases them. */
final class RSocketWireClient implements WireClient {
  private final RSocket socket;
  private final String kind;
  private final WireAddress address;
  private volatile int serverMaxFrameSize = WireServerOptions.DEFAULT_MAX_FRAME_SIZE;
  private volatile long connectionId = -1;

  RSocketWireClient(RSocket socket, String kind, WireAddress address) {
    this.socket = socket;
    this.kind = kind;
    this.address = address;
  }

  /** The first round trip: shows a refused setup now, and learns the server's limits. */
  Mono<Void> handshake() {
    return request(WireRequest.of(ServerHandler.PING))
        .doOnNext(
            info -> {
              JsonNode max = info.get("maxFrame");
              if (max != null && max.canConvertToInt()) {
                serverMaxFrameSize = max.intValue();
              }
              JsonNode conn = info.get("conn");
              if (conn != null && conn.canConvertToLong()) {
                connectionId = conn.longValue();
              }
            })
        .then();
  }

  /** The server's id of this connection, as it said at the handshake, or -1. */
  long connectionId() {
    return connectionId;
  }

  @Override
  public Mono<JsonNode> request(WireRequest request) {
    return Mono.defer(
            () -> {
              byte[] bytes;
              try {
                bytes = encode(request);
              } catch (WireException e) {
                return Mono.error(e);
              }
              return socket.requestResponse(DefaultPayload.create(bytes));
            })
        .<JsonNode>handle(this::decodeReply)
        // not onErrorMap: its arbiter can lose a cancel racing with the subscription
        .transform(
            m -> FluxMapError.mapError(m, e -> Failures.fromTransport(e, address.toString())));
  }

  /** The most stream elements outstanding at the server at a time. */
  static final int STREAM_DEMAND_CAP = 256;

  @Override
  public Flux<JsonNode> stream(WireRequest request) {
    return Flux.defer(
            () -> {
              byte[] bytes;
              try {
                bytes = encode(request);
              } catch (WireException e) {
                return Flux.error(e);
              }
              // At most STREAM_DEMAND_CAP elements asked for at a time, whatever the subscriber
              // asks:
              // the server never queues more than that for this stream.
              return FluxCappedDemand.cap(
                  socket.requestStream(DefaultPayload.create(bytes)), STREAM_DEMAND_CAP);
            })
        .<JsonNode>handle(
            (payload, sink) -> {
              try {
                sink.next(CborCodec.decode(payload.data()));
              } catch (CodecException e) {
                sink.error(malformed(e));
              } finally {
                payload.release();
              }
            })
        // not onErrorMap: its arbiter can lose a cancel racing with the subscription
        .transform(
            f -> FluxMapError.mapError(f, e -> Failures.fromTransport(e, address.toString())));
  }

  private void decodeReply(Payload payload, SynchronousSink<JsonNode> sink) {
    WireReply reply;
    try {
      reply = CborCodec.decodeReply(payload.data());
    } catch (CodecException e) {
      sink.error(malformed(e));
      return;
    } finally {
      payload.release();
    }
    if (reply instanceof WireReply.Failure) {
      sink.error(((WireReply.Failure) reply).toException());
      return;
    }
    JsonNode value = ((WireReply.Result) reply).value();
    if (value != null) {
      sink.next(value);
    }
    sink.complete();
  }

  private WireException malformed(CodecException e) {
    return new WireException(
        WireException.INTERNAL, "malformed reply from " + address + ": " + e.getMessage(), e);
  }

  /** Encodes a request the server will accept, or throws the error it would get. */
  byte[] encode(WireRequest request) {
    byte[] bytes;
    try {
      bytes = CborCodec.encodeRequest(request);
    } catch (CodecException | IllegalArgumentException e) {
      throw Failures.unencodable(request.op(), e);
    }
    int limit = serverMaxFrameSize;
    if (bytes.length > limit) {
      throw Failures.tooLarge(request.op(), bytes.length, limit);
    }
    return bytes;
  }

  @Override
  public String transport() {
    return kind;
  }

  @Override
  public WireAddress address() {
    return address;
  }

  @Override
  public int serverMaxFrameSize() {
    return serverMaxFrameSize;
  }

  @Override
  public Mono<Void> onClose() {
    return socket.onClose().onErrorResume(e -> Mono.empty());
  }

  @Override
  public void dispose() {
    socket.dispose();
  }

  @Override
  public boolean isDisposed() {
    return socket.isDisposed();
  }

  @Override
  public String toString() {
    return "WireClient[" + kind + " to " + address + "]";
  }
}
