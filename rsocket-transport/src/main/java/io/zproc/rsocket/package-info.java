/**
 * How bytes move between zproc clients and servers: wire requests and replies, error codes, and
 * RSocket bindings for {@code tcp://}, {@code unix://}, {@code ws://} and in-JVM {@code local:}
 * addresses, plus a direct path for a client in the server's own JVM.
 *
 * <p>This package knows nothing of what a state is: a {@link io.zproc.rsocket.WireService} on the
 * server side gives meaning to the operations. It is the transport layer of reactor-zproc and not
 * part of its public API; it has no compatibility promise.
 */
@NullMarked
package io.zproc.rsocket;

import org.jspecify.annotations.NullMarked;
