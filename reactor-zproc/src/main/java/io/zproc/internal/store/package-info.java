/**
 * Where a server's state lives beyond its memory: the {@link
 * io.zproc.internal.store.ReplicatedStore} a server commits its changes to and follows the other
 * servers' changes from, and the parsing of {@code ServerOptions.store}. Knows bytes, versions and
 * epochs, nothing of namespaces' semantics; not API, no compatibility promise.
 */
@NullMarked
package io.zproc.internal.store;

import org.jspecify.annotations.NullMarked;
