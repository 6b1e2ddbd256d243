/**
 * {@code processMap}: the pool of map workers (child JVMs or threads) a context keeps, the calls
 * that cut their items into batches and put the results back in order, and the worker's side of the
 * batch frames. Built on {@code internal.process} (a worker JVM is a child started in the map
 * worker kind); not API, no compatibility promise.
 */
@NullMarked
package io.zproc.internal.map;

import org.jspecify.annotations.NullMarked;
