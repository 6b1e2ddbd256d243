/**
 * The redis store, on Lettuce (an optional dependency: only this package loads its classes, and
 * only when a server is started with a {@code redis://} store). Not API.
 */
@NullMarked
package io.zproc.internal.store.redis;

import org.jspecify.annotations.NullMarked;
