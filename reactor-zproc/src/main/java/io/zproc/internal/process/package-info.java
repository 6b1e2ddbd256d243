/**
 * Processes: child JVMs, their launcher and protocol, and the thread backend; not API, no
 * compatibility promise.
 */
@NullMarked
package io.zproc.internal.process;

import org.jspecify.annotations.NullMarked;
