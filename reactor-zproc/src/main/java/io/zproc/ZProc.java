package io.zproc;

import io.zproc.internal.client.Context;
import reactor.core.publisher.Mono;

/**
 * A context: a connection to a state server (started by it, or an existing one) and the place the
 * state's clients come from.
 *
 * <p>{@link #start()} starts an embedded server in this JVM and owns it; {@link #connect(String)}
 * joins an existing one and owns only its connection. A context's own {@link #state()} is made with
 * it; {@link #state(String)} makes a new client for any namespace.
 *
 * <p><b>Threading:</b> thread-safe. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (ZProc ctx = ZProc.start()) {
 *   ctx.state().put("apples", 5).block();
 *   System.out.println(ctx.state().get("apples").block()); // 5
 * }
 * }</pre>
 */
public interface ZProc extends AutoCloseable {

  /**
   * Starts an embedded server on {@code tcp://127.0.0.1:<free port>} and connects to it, in
   * namespace {@code "default"}. Blocks until ready.
   */
  static ZProc start() {
    return start(ZProcOptions.defaults());
  }

  /**
   * Starts an embedded server on {@code tcp://127.0.0.1:<free port>} with {@link
   * ZProcOptions#serverOptions()} and connects to it. Blocks until ready.
   *
   * @throws ZProcException if the server cannot start
   */
  static ZProc start(ZProcOptions options) {
    return Context.start(options);
  }

  /**
   * Connects to an existing server with default options. Blocks until connected.
   *
   * @throws IllegalArgumentException if the address is malformed
   * @throws ZProcException if the connection fails or is refused (code {@code UNAUTHORIZED} for a
   *     wrong or missing secret key)
   */
  static ZProc connect(String address) {
    return connect(address, ZProcOptions.defaults());
  }

  /**
   * Connects to an existing server. Blocks until connected; {@link #close()} leaves the server
   * running.
   *
   * @throws IllegalArgumentException if the address is malformed
   * @throws ZProcException if the connection fails or is refused
   */
  static ZProc connect(String address, ZProcOptions options) {
    return Context.connect(address, options);
  }

  /** The server's address as other machines use it, e.g. {@code tcp://127.0.0.1:40123}. */
  String address();

  /** The namespace of {@link #state()}. */
  String namespace();

  /** This context's own state client, made with the context. */
  State state();

  /**
   * A new state client for a namespace, over this context's connection.
   *
   * @throws IllegalArgumentException if the name is empty
   */
  State state(String namespace);

  /**
   * Asks the server for its process id.
   *
   * @return emits the server's OS pid; errors with {@link ZProcException} if unreachable
   */
  Mono<Long> ping();

  /**
   * Closes the connection, and stops the server if this context started it (waiting until its
   * address is free). A context that owns its server is also closed by a JVM shutdown hook.
   */
  @Override
  void close();
}
