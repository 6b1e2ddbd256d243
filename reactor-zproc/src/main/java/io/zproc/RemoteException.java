package io.zproc;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An exception thrown in another process, brought back with its class name, message, stack trace
 * and cause chain (as {@link #getCause()}, each cause a {@code RemoteException} too). The remote
 * class need not exist here.
 */
public class RemoteException extends ZProcException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final @Nullable String remoteMessage;

  /**
   * @param remoteClassName the remote exception's class name
   * @param remoteMessage its message, or null
   * @param stackTrace its stack trace
   * @param cause its cause, or null
   */
  public RemoteException(
      String remoteClassName,
      @Nullable String remoteMessage,
      StackTraceElement[] stackTrace,
      @Nullable RemoteException cause) {
    super(
        ErrorCode.REMOTE,
        remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage),
        cause);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    setStackTrace(stackTrace);
  }

  /**
   * For subclasses that say more than the remote class and message.
   *
   * @param message this exception's message
   * @param remoteClassName the remote exception's class name
   * @param remoteMessage its message, or null
   * @param stackTrace its stack trace
   * @param cause its cause, or null
   */
  protected RemoteException(
      String message,
      String remoteClassName,
      @Nullable String remoteMessage,
      StackTraceElement[] stackTrace,
      @Nullable RemoteException cause) {
    super(ErrorCode.REMOTE, message, cause);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    setStackTrace(stackTrace);
  }

  /** A copy of a local throwable and its causes, as a child sends it. */
  public static RemoteException of(Throwable t) {
    RemoteException cause = t.getCause() != null && t.getCause() != t ? of(t.getCause()) : null;
    if (t instanceof RemoteException) {
      RemoteException r = (RemoteException) t;
      return new RemoteException(r.remoteClassName, r.remoteMessage, r.getStackTrace(), cause);
    }
    return new RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause);
  }

  /** The remote exception's class name, e.g. {@code java.lang.IllegalStateException}. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** The remote exception's own message, or null. */
  public @Nullable String remoteMessage() {
    return remoteMessage;
  }

  /** The class names of this exception and its causes, outermost first. */
  public List<String> causeChain() {
    java.util.ArrayList<String> chain = new java.util.ArrayList<>();
    for (Throwable t = this; t instanceof RemoteException; t = t.getCause()) {
      chain.add(((RemoteException) t).remoteClassName);
    }
    return chain;
  }
}
