/**
 * The transport's entry, {@link io.zproc.rsocket.connect.Wire}: connecting a client and binding a
 * server. Not public API: exported to reactor-zproc only.
 */
@NullMarked
package io.zproc.rsocket.connect;

import org.jspecify.annotations.NullMarked;
