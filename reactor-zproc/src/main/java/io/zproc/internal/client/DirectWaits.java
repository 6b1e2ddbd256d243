package io.zproc.internal.client;

import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The waits ({@code when*} replies) pending on one in-JVM (direct) connection, ended with {@code
 * CONNECTION_CLOSED} when it closes, as a socket's would be. Joining and leaving cost a set
 * operation: 10,000 waits on one connection do not each subscribe to its close signal (whose
 * subscriber array is copied on every subscription).
 */
final class DirectWaits {
  private static final ConcurrentHashMap<WireClient, DirectWaits> BY_CLIENT =
      new ConcurrentHashMap<>();

  private final WireClient client;
  private final Set<Runnable> waits = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private DirectWaits(WireClient client) {
    this.client = client;
  }

  /** The waits of a direct connection, made (and watching its close) on first use. */
  static DirectWaits of(WireClient client) {
    DirectWaits existing = BY_CLIENT.get(client);
    if (existing != null) {
      return existing;
    }
    DirectWaits made = new DirectWaits(client);
    DirectWaits raced = BY_CLIENT.putIfAbsent(client, made);
    if (raced != null) {
      return raced;
    }
    client.onClose().subscribe(null, e -> made.closeAll(), made::closeAll);
    return made;
  }

  private void closeAll() {
    closed = true;
    BY_CLIENT.remove(client, this);
    for (Runnable wait : waits) {
      wait.run();
    }
  }

  private WireException closedError() {
    return new WireException(
        WireException.CONNECTION_CLOSED, "the connection to " + client.address() + " closed");
  }

  /** The reply, or {@code CONNECTION_CLOSED} if the connection closes first. */
  <T> Mono<T> bound(Mono<T> reply) {
    return Mono.create(
        sink -> {
          Runnable end = () -> sink.error(closedError());
          waits.add(end);
          if (closed) {
            waits.remove(end);
            sink.error(closedError());
            return;
          }
          Disposable inner = reply.subscribe(sink::success, sink::error, sink::success);
          sink.onDispose(
              () -> {
                waits.remove(end);
                inner.dispose();
              });
        });
  }
}
