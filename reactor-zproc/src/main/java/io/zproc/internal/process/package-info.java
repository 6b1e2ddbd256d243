/**
 * Processes: child JVMs, their launcher and the pipe protocol between parent and child, the thread
 * backend, and the pool of spare JVMs. Depends on no other internal package but the root one: the
 * child's main ({@code internal.child}) and {@code processMap} ({@code internal.map}) are built on
 * it. Not API, no compatibility promise.
 */
@NullMarked
package io.zproc.internal.process;

import org.jspecify.annotations.NullMarked;
