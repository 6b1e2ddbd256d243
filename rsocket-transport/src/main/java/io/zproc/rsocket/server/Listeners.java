package io.zproc.rsocket.server;

import io.rsocket.Closeable;
import io.zproc.rsocket.internal.SocketFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * What a server listens on: its bound listeners (the address's own, and the unix socket and the
 * lane beside a tcp server), their socket files, and the lane's event loop; closing it closes them
 * all and removes the files. Thread-safe.
 */
final class Listeners {
  private final List<Disposable> bound = new CopyOnWriteArrayList<>();
  private volatile @Nullable Path localSocket;
  private volatile @Nullable Path laneSocket;
  private volatile @Nullable LoopResources laneLoop;
  private volatile boolean closed;

  /** Adds a bound listener. */
  void add(Disposable listener) {
    bound.add(listener);
  }

  /** The unix socket file the server listens on, removed when it closes; null when none. */
  @Nullable Path localSocket() {
    return localSocket;
  }

  void localSocket(Path file) {
    localSocket = file;
  }

  /** The lane's socket file, removed when the server closes; null when none. */
  @Nullable Path laneSocket() {
    return laneSocket;
  }

  void laneSocket(Path file) {
    laneSocket = file;
  }

  /** The lane's event loop, disposed when every listener has closed. */
  void laneLoop(LoopResources loop) {
    laneLoop = loop;
  }

  /** Whether {@link #close} has run: a listener bound since must be disposed at once. */
  boolean isClosed() {
    return closed;
  }

  /**
   * Disposes every listener.
   *
   * @param closes what else must complete first (the connections closing)
   * @return completes when all of them and every listener have closed, the lane's loop is disposed
   *     and the socket files are removed; never errors
   */
  Mono<Void> close(List<Mono<Void>> closes) {
    closed = true;
    for (Disposable listener : bound) {
      listener.dispose();
      if (listener instanceof Closeable) {
        closes.add(((Closeable) listener).onClose());
      } else if (listener instanceof DisposableServer) {
        closes.add(((DisposableServer) listener).onDispose());
      }
    }
    Path socket = localSocket;
    Path lane = laneSocket;
    LoopResources loop = laneLoop;
    return Mono.when(closes)
        .onErrorResume(e -> Mono.empty())
        .then(
            loop == null
                ? Mono.empty()
                : loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5))
                    .onErrorResume(e -> Mono.empty()))
        .then(
            Mono.fromRunnable(
                    () -> {
                      SocketFiles.delete(socket);
                      SocketFiles.delete(lane);
                    })
                .subscribeOn(Schedulers.boundedElastic()))
        .then();
  }
}
