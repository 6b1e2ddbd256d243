/**
 * The transport's client side behind {@link io.zproc.rsocket.connect.Wire#connect}: {@code
 * Connector} picks the path, and the clients of each path. Not API, no compatibility promise.
 */
@NullMarked
package io.zproc.rsocket.client;

import org.jspecify.annotations.NullMarked;
