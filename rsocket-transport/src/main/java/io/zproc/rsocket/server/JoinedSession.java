package io.zproc.rsocket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireSession;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/** An RSocket connection's session, shared with the lanes that joined it. */
final class JoinedSession {
  private final WireSession session;
  private final Set<Runnable> lanes = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  JoinedSession(WireSession session) {
    this.session = session;
  }

  /** A lane's view of the session: closing the lane does not close the session. */
  WireSession lane(Runnable close) {
    lanes.add(close);
    if (closed) {
      lanes.remove(close);
      throw new WireException(WireException.CONNECTION_CLOSED, "the connection has closed");
    }
    return new WireSession() {
      @Override
      public Mono<JsonNode> request(WireRequest request) {
        if (closed) {
          return Mono.error(
              new WireException(WireException.CONNECTION_CLOSED, "the connection has closed"));
        }
        return session.request(request);
      }

      @Override
      public void closed() {
        lanes.remove(close);
      }
    };
  }

  /** Closes every lane that joined; later requests on them fail, and no lane joins any more. */
  void closeLanes() {
    closed = true;
    for (Runnable lane : lanes) {
      lane.run();
    }
    lanes.clear();
  }
}
