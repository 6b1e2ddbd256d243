/**
 * The lane: the same-host fast path for request-response beside a {@code tcp://} server's
 * unix-domain socket, without RSocket's framing. {@link io.zproc.rsocket.lane.LaneClient} is the
 * client side (a pool of connections each used by one blocking caller at a time, a parker for slow
 * replies, and one shared connection for subscribers that do not block); {@link
 * io.zproc.rsocket.lane.LaneServer} is the server side, one event loop serving every lane
 * connection. Both speak the frames of {@code LaneFrameCodec}.
 *
 * <p>Implementation of the transport; not API, no compatibility promise.
 */
@NullMarked
package io.zproc.rsocket.lane;

import org.jspecify.annotations.NullMarked;
