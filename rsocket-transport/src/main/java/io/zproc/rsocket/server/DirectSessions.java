package io.zproc.rsocket.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zproc.rsocket.WireConnection;
import io.zproc.rsocket.WireException;
import io.zproc.rsocket.WireRequest;
import io.zproc.rsocket.WireService;
import io.zproc.rsocket.WireSession;
import io.zproc.rsocket.internal.DirectEndpoint;
import io.zproc.rsocket.internal.DirectRegistry;
import io.zproc.rsocket.internal.Setup;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A server's in-JVM (direct) sessions: what {@link DirectRegistry} gives a client in the server's
 * own JVM, after the same key check as a socket connection.
 */
final class DirectSessions implements DirectEndpoint {
  private final List<Runnable> sessions = new CopyOnWriteArrayList<>();
  private final int maxFrameSize;
  private final WireService service;
  private final Admission admission;
  private volatile boolean closed;

  DirectSessions(int maxFrameSize, WireService service, Admission admission) {
    this.maxFrameSize = maxFrameSize;
    this.service = service;
    this.admission = admission;
  }

  @Override
  public boolean isDisposed() {
    return closed;
  }

  @Override
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The session's {@code closed()} and {@code onServerClose} run once, when either side closes.
   */
  @Override
  public WireSession openDirect(Setup setup, Runnable onServerClose) {
    if (closed) {
      throw new WireException(WireException.CONNECTION_CLOSED, "the server is closed");
    }
    admission.checkKey(setup, "direct");
    WireSession session =
        service.open(new WireConnection(Admission.nextConnectionId(), "direct", setup.name()));
    Runnable closer =
        new Runnable() {
          private final AtomicBoolean done = new AtomicBoolean();

          @Override
          public void run() {
            if (done.compareAndSet(false, true)) {
              sessions.remove(this);
              session.closed();
              onServerClose.run();
            }
          }
        };
    sessions.add(closer);
    return new WireSession() {
      @Override
      public Mono<JsonNode> request(WireRequest request) {
        return session.request(request);
      }

      @Override
      public Flux<JsonNode> stream(WireRequest request) {
        return session.stream(request);
      }

      @Override
      public void closed() {
        closer.run();
      }
    };
  }

  /** The sessions open now. */
  int count() {
    return sessions.size();
  }

  /** Refuses new sessions and closes the open ones. */
  void close() {
    closed = true;
    for (Runnable session : sessions) {
      session.run();
    }
    sessions.clear();
  }
}
