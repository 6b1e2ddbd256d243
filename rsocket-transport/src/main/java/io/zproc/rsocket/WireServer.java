package io.zproc.rsocket;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A bound server: accepts connections on one address and serves them with a {@link WireService}.
 * {@code io.zproc.rsocket.connect.Wire.bind} binds one.
 *
 * <p>A {@code tcp://} server also listens, by default, on a unix-domain socket and a lane socket in
 * the user's private directory ({@code tcp-<port>.sock} and {@code tcp-<port>.lane}, owner-only;
 * see {@code SocketFiles}) that clients on the same host use instead of TCP, and every server
 * registers itself for the in-JVM direct path. The secret key is checked on every path.
 *
 * <p><b>Threading:</b> thread-safe. {@link #dispose()} is idempotent.
 */
public interface WireServer extends Disposable {

  /** The bound address: for {@code tcp://} and {@code ws://} with the real port. */
  WireAddress address();

  /** The unix-domain socket beside a {@code tcp://} server, or null. */
  @Nullable Path localSocket();

  /** The lane socket beside a {@code tcp://} server (the same-host fast path), or null. */
  @Nullable Path laneSocket();

  /** The options this server was bound with. */
  WireServerOptions options();

  /** Connections refused at setup so far: a wrong key, past the limit, malformed, too long. */
  long rejectedSetups();

  /** The connections open now: sockets (tcp, unix, ws, local) and in-JVM (direct) sessions. */
  int connectionCount();

  /** Completes when the server has closed. */
  Mono<Void> onClose();

  /** Stops listening, closes every connection and removes the local socket file. */
  @Override
  void dispose();
}
