package io.zproc;

import org.jspecify.annotations.Nullable;

/**
 * A {@code processMap} task threw on one item (or its result could not be sent back): the {@link
 * RemoteException} that ends the map's {@code Flux}, naming the item's index in the source.
 *
 * <p>{@link #remoteClassName()}, {@link #remoteMessage()}, the stack trace and the cause chain are
 * those of the worker's exception. Every item before {@link #index()} was emitted before this
 * error.
 */
public class MapTaskException extends RemoteException {
  private static final long serialVersionUID = 1L;

  private final long index;

  /**
   * @param index the failed item's index in the source (0-based)
   * @param remote the worker's exception
   */
  public MapTaskException(long index, RemoteException remote) {
    super(
        "processMap task failed on item " + index + ": " + remote.getMessage(),
        remote.remoteClassName(),
        remote.remoteMessage(),
        remote.getStackTrace(),
        cause(remote));
    this.index = index;
  }

  private static @Nullable RemoteException cause(RemoteException remote) {
    Throwable cause = remote.getCause();
    return cause instanceof RemoteException ? (RemoteException) cause : null;
  }

  /** The failed item's index in the source (0-based). */
  public long index() {
    return index;
  }
}
