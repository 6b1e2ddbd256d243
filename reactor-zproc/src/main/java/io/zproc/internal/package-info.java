/** Implementation of reactor-zproc; not API, no compatibility promise. */
@NullMarked
package io.zproc.internal;

import org.jspecify.annotations.NullMarked;
