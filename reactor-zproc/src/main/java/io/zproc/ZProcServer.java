package io.zproc;

import io.zproc.internal.server.ServerMain;
import io.zproc.internal.server.StateServer;
import reactor.core.publisher.Mono;

/**
 * A state server: holds every namespace's state, versions and change journal, and serves clients on
 * one address. Standalone ({@link #main}) or embedded ({@link ZProc#start()}).
 *
 * <p>Besides its address, a {@code tcp://} server serves clients in its own JVM directly (no
 * socket) and clients on its own host through an owner-only unix-domain socket, with the same
 * protocol and semantics.
 *
 * <p><b>Threading:</b> thread-safe. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (ZProcServer server = ZProcServer.start("tcp://0.0.0.0:5000")) {
 *   server.onClose().block();
 * }
 * }</pre>
 */
public interface ZProcServer extends AutoCloseable {

  /**
   * Starts a server with default options. Blocks until bound.
   *
   * @param address {@code tcp://host:port} (port 0 picks a free one), {@code unix:///path}, {@code
   *     ws://host:port/path} or {@code local:name}
   * @throws IllegalArgumentException if the address is malformed, naming the accepted forms
   * @throws ZProcException if it cannot be bound (code {@code CONNECTION_CLOSED})
   */
  static ZProcServer start(String address) {
    return start(address, ServerOptions.defaults());
  }

  /**
   * Starts a server. Blocks until bound; call it from the caller's own thread.
   *
   * @throws IllegalArgumentException if the address is malformed, naming the accepted forms
   * @throws ZProcException if it cannot be bound
   */
  static ZProcServer start(String address, ServerOptions options) {
    return StateServer.start(address, options);
  }

  /** The bound address, with the real port: what other machines use. */
  String address();

  /** The OS process id of the server's JVM. */
  long pid();

  /** Stops serving: closes every connection and frees the address. */
  @Override
  void close();

  /** Completes when the server has closed. */
  Mono<Void> onClose();

  /**
   * Runs a standalone server until the JVM is stopped.
   *
   * <pre>
   * java -cp ... io.zproc.ZProcServer --address tcp://0.0.0.0:5000 [--secret-key-file FILE]
   * </pre>
   */
  static void main(String[] args) {
    ServerMain.main(args);
  }
}
