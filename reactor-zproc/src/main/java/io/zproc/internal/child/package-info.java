/**
 * The child JVM: its main class reads the parent's header from stdin, connects a context to the
 * parent's server and then runs one task, or serves {@code processMap} batches as a map worker. The
 * top of the internal packages (it uses the client, the processes' pipe and the map worker);
 * nothing depends on it but the command line the launcher builds. Not API, no compatibility
 * promise.
 */
@NullMarked
package io.zproc.internal.child;

import org.jspecify.annotations.NullMarked;
