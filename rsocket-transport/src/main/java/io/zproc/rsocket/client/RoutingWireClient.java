package io.zproc.rsocket.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.WireAddress;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.lane.LaneClient;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A same-host connection with two ways to the server: the RSocket connection, and beside it the
 * lane ({@link LaneClient}), which shares its session. Each request chooses when it is subscribed:
 * a caller blocked on exactly this reply takes one of the lane's pooled connections; another
 * subscriber on a thread that may block takes the lane's shared connection; any other (on a Reactor
 * or Netty thread) takes RSocket, as does a request whose lane is unusable. Streams always take
 * RSocket. The lane closes with the RSocket connection.
 *
 * <p><b>Threading:</b> thread-safe.
 */
final class RoutingWireClient implements WireClient {
  private final RSocketWireClient rsocket;
  private final LaneClient lane;

  RoutingWireClient(RSocketWireClient rsocket, LaneClient lane) {
    this.rsocket = rsocket;
    this.lane = lane;
    rsocket.onClose().doFinally(signal -> lane.dispose()).subscribe(null, e -> {});
    if (rsocket.isDisposed()) {
      lane.dispose();
    }
  }

  /** The lane beside the RSocket connection. */
  LaneClient lane() {
    return lane;
  }

  /** The server's id of the RSocket connection, as it said at the handshake, or -1. */
  long connectionId() {
    return rsocket.connectionId();
  }

  @Override
  public Mono<JsonNode> request(WireRequest request) {
    return new Routed(request);
  }

  /** A request that chooses its way when subscribed. */
  private final class Routed extends Mono<JsonNode> {
    private final WireRequest request;

    Routed(WireRequest request) {
      this.request = request;
    }

    @Override
    public void subscribe(CoreSubscriber<? super JsonNode> actual) {
      boolean sync = lane.takes(actual);
      if (!sync && !lane.takesAsync()) {
        rsocket.request(request).subscribe(actual);
        return;
      }
      byte[] bytes;
      try {
        bytes = rsocket.encode(request);
      } catch (WireException e) {
        Operators.error(actual, e);
        return;
      }
      if (sync) {
        lane.call(request, bytes, actual, () -> rsocket.request(request).subscribe(actual));
      } else {
        lane.send(request, bytes, actual, () -> rsocket.request(request).subscribe(actual));
      }
    }
  }

  @Override
  public Flux<JsonNode> stream(WireRequest request) {
    return rsocket.stream(request);
  }

  @Override
  public String transport() {
    return rsocket.transport();
  }

  @Override
  public WireAddress address() {
    return rsocket.address();
  }

  @Override
  public int serverMaxFrameSize() {
    return rsocket.serverMaxFrameSize();
  }

  @Override
  public Mono<Void> onClose() {
    return rsocket.onClose();
  }

  @Override
  public void dispose() {
    lane.dispose();
    rsocket.dispose();
  }

  @Override
  public boolean isDisposed() {
    return rsocket.isDisposed();
  }

  @Override
  public String toString() {
    return rsocket.toString();
  }
}
