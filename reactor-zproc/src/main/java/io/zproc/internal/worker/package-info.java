/**
 * Remote {@code processMap} workers: {@link io.zproc.internal.worker.WorkerNode} (a {@code
 * ZProcWorker}: joins a server and runs the batches it hands out) and {@link
 * io.zproc.internal.worker.WorkerMain} (the {@code zproc worker} command line). Built on {@code
 * internal.client} (the connection) and {@code internal.map} (the worker loop); not API, no
 * compatibility promise.
 */
@NullMarked
package io.zproc.internal.worker;

import org.jspecify.annotations.NullMarked;
