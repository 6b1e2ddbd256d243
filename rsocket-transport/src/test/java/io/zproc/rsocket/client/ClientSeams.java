package io.zproc.rsocket.client;

import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.lane.LaneClient;

/** What the transport's tests outside this package read of the clients' package-private parts. */
public final class ClientSeams {
  private ClientSeams() {}

  /** At most this many stream elements are asked of the server at a time over RSocket. */
  public static final int STREAM_DEMAND_CAP = RSocketWireClient.STREAM_DEMAND_CAP;

  /** The lane of a client that routes over RSocket and the lane. */
  public static LaneClient lane(WireClient routing) {
    return ((RoutingWireClient) routing).lane();
  }

  /**
   * The server's id of the RSocket connection of a client that routes over RSocket and the lane.
   */
  public static long connectionId(WireClient routing) {
    return ((RoutingWireClient) routing).connectionId();
  }
}
