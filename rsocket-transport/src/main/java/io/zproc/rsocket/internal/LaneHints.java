package io.zproc.rsocket.internal;

/**
 * What a server session may tell a client about a request before its reply, through the Reactor
 * context of the request's subscription.
 *
 * <p>On the lane, a progress message is a frame with the request's id negated and the message as
 * its CBOR body; the client hands it to the consumer its subscription put in its context under the
 * same key. On the in-JVM direct path the session sees the caller's context itself. Over RSocket
 * there is no such channel: a session that finds no consumer answers without progress.
 */
public final class LaneHints {
  private LaneHints() {}

  /**
   * Context key of a {@code Consumer<JsonNode>} that receives progress messages of a request before
   * its reply. The consumer must be quick and must not block; on the server it only starts a write,
   * on the client it records what it got.
   */
  public static final String PROGRESS = "io.zproc.progress";
}
