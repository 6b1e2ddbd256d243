/** The client side: contexts, state clients and their views; not API, no compatibility promise. */
@NullMarked
package io.zproc.internal.client;

import org.jspecify.annotations.NullMarked;
