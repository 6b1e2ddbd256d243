/** Implementation of the transport; not API, no compatibility promise. */
@NullMarked
package io.zproc.rsocket.internal;

import org.jspecify.annotations.NullMarked;
