package io.zproc.rsocket.internal;

/** How RSocket connections cut large payloads, the same on the client's and the server's side. */
public final class Fragmentation {
  private Fragmentation() {}

  /** Payloads above this are fragmented; below it they go in one frame. */
  public static final int MTU = 1024 * 1024;
}
