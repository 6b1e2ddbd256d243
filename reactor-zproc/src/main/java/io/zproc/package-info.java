/**
 * reactor-zproc: multi-process programming around one shared, watched state.
 *
 * <p>A {@link io.zproc.ZProcServer} holds a namespaced key-value state; a {@link io.zproc.ZProc}
 * context connects to it (or starts one) and hands out {@link io.zproc.State} clients whose every
 * operation is one atomic server call returning a {@code Mono} or {@code Flux}. Every mutation of a
 * namespace gets the next version number and one change record. Values are what Jackson maps to
 * JSON: null, booleans, numbers, strings, lists, maps, records and POJOs.
 */
@NullMarked
package io.zproc;

import org.jspecify.annotations.NullMarked;
