/**
 * The transport's server side behind {@link io.zproc.rsocket.connect.Wire#bind}: admission, the
 * binding of each scheme, socket connections and direct sessions. Not API, no compatibility
 * promise.
 */
@NullMarked
package io.zproc.rsocket.server;

import org.jspecify.annotations.NullMarked;
