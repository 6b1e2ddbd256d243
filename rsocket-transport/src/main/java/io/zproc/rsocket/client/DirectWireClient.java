package io.zproc.rsocket.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.FluxMapError;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.codec.CborCodec;
import io.zproc.rsocket.codec.CodecException;
import io.zproc.rsocket.internal.Failures;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A connection to a server in this JVM: requests go straight to the server's session, with no
 * encoding and no socket. The request trees are handed over, and neither side mutates them.
 */
final class DirectWireClient implements WireClient {
  private final WireAddress address;
  private final int serverMaxFrameSize;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Sinks.Empty<Void> onClose = Sinks.empty();
  private @Nullable WireSession session;

  DirectWireClient(WireAddress address, int serverMaxFrameSize) {
    this.address = address;
    this.serverMaxFrameSize = serverMaxFrameSize;
  }

  void attach(WireSession session) {
    this.session = session;
  }

  void serverClosed() {
    closed.set(true);
    onClose.tryEmitEmpty();
  }

  private WireSession open() {
    WireSession s = session;
    if (s == null || closed.get()) {
      throw new WireException(
          WireException.CONNECTION_CLOSED, "the connection to " + address + " is closed");
    }
    return s;
  }

  /**
   * Refuses what a socket path would refuse (a request over the server's frame limit, or one that
   * cannot be encoded), so that every path has the same limits; a cheap bound spares encoding all
   * but the requests near the limit.
   */
  private void checkSize(WireRequest request) {
    if (!request.args().has("op") && CborCodec.requestSizeBound(request) <= serverMaxFrameSize) {
      return;
    }
    int size;
    try {
      size = CborCodec.encodeRequest(request).length;
    } catch (CodecException | IllegalArgumentException e) {
      throw Failures.unencodable(request.op(), e);
    }
    if (size > serverMaxFrameSize) {
      throw Failures.tooLarge(request.op(), size, serverMaxFrameSize);
    }
  }

  @Override
  public Mono<JsonNode> request(WireRequest request) {
    // not onErrorMap: its arbiter can lose a cancel racing with the subscription (a watcher's
    // request would then wait on the server until the connection closes)
    return FluxMapError.mapError(
        Mono.defer(
            () -> {
              checkSize(request);
              return open().request(request);
            }),
        Failures::toWireException);
  }

  @Override
  public Flux<JsonNode> stream(WireRequest request) {
    return Flux.defer(
            () -> {
              checkSize(request);
              return open().stream(request);
            })
        .takeUntilOther(
            onClose
                .asMono()
                .then(
                    Mono.error(
                        () ->
                            new WireException(
                                WireException.CONNECTION_CLOSED,
                                "the connection to " + address + " closed"))))
        // not onErrorMap: its arbiter can lose a cancel racing with the subscription
        .transform(f -> FluxMapError.mapError(f, Failures::toWireException));
  }

  @Override
  public String transport() {
    return "direct";
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
    return onClose.asMono();
  }

  @Override
  public void dispose() {
    WireSession s = session;
    if (s != null && !closed.get()) {
      s.closed();
    }
    serverClosed();
  }

  @Override
  public boolean isDisposed() {
    return closed.get();
  }

  @Override
  public String toString() {
    return "WireClient[direct to " + address + "]";
  }
}
