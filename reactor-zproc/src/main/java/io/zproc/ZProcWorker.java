package io.zproc;

import io.zproc.internal.worker.WorkerMain;
import io.zproc.internal.worker.WorkerNode;
import reactor.core.publisher.Mono;

/**
 * A worker that joins a server and runs the {@code processMap} batches of the contexts using that
 * server with {@link MapOptions#remote(boolean) MapOptions.remote(true)}: a JVM on another machine
 * (or this one) with the same application classes. Standalone ({@link #main}, {@code zproc worker})
 * or embedded ({@link #start}).
 *
 * <p>The server hands each batch to a joined worker with a free slot; the worker runs it item by
 * item and posts the outcome back through the server. A worker that leaves (closed, killed,
 * disconnected) has its running batches re-run on another. A lost connection is made again (the
 * worker joins anew) for as long as the worker is not closed.
 *
 * <p><b>Security:</b> the worker connects with the server's secret key ({@link
 * WorkerOptions#secretKey}); tasks and items are Java-deserialized here only after the server
 * accepted it, and only for the classes its allow-list passes ({@link WorkerOptions#allow}). Off
 * this host, connect over TLS ({@link WorkerOptions#tls}). See docs/security.md.
 *
 * <p><b>Threading:</b> thread-safe; {@link #close()} is idempotent. Batches run on the worker's own
 * slot threads ({@code zproc-worker-slot-N}), which may block.
 *
 * <pre>{@code
 * try (ZProcWorker worker =
 *     ZProcWorker.start("tcp://10.0.0.5:5000",
 *         WorkerOptions.defaults().secretKey(key).allow("com.acme.**"))) {
 *   worker.onClose().block();
 * }
 * }</pre>
 */
public interface ZProcWorker extends AutoCloseable {

  /**
   * Joins a server with default options (see {@link WorkerOptions#defaults()}). Blocks until
   * joined.
   *
   * @throws ZProcException if the server cannot be reached or refuses the worker ({@code
   *     UNAUTHORIZED} for a wrong key)
   */
  static ZProcWorker start(String serverAddress) {
    return start(serverAddress, WorkerOptions.defaults());
  }

  /**
   * Joins a server. Blocks until joined (up to {@link WorkerOptions#connectTimeout}); call it from
   * the caller's own thread.
   *
   * @param serverAddress the server's address, such as {@code tcp://10.0.0.5:5000}
   * @throws IllegalArgumentException if the address is malformed
   * @throws ZProcException if the server cannot be reached or refuses the worker ({@code
   *     UNAUTHORIZED} for a wrong key)
   */
  static ZProcWorker start(String serverAddress, WorkerOptions options) {
    return WorkerNode.start(serverAddress, options);
  }

  /** The address of the server this worker joined. */
  String address();

  /**
   * Leaves the server: batches running here stop and are re-run on other workers; the connection
   * closes. Idempotent.
   */
  @Override
  void close();

  /**
   * Completes when the worker has left: closed, or (erroring with the cause) its server refused it
   * or could not be reached again after its connection was lost.
   */
  Mono<Void> onClose();

  /**
   * Runs a standalone worker until the JVM is stopped.
   *
   * <pre>
   * java -cp app.jar:... io.zproc.ZProcWorker --connect tcp://10.0.0.5:5000 \
   *     --secret-key-file FILE --tls [--slots N] [--allow com.acme.**]...
   * </pre>
   *
   * It refuses an address beyond this host without a key and TLS unless told {@code --insecure},
   * and a key file others can read.
   */
  static void main(String[] args) {
    WorkerMain.main(args);
  }
}
