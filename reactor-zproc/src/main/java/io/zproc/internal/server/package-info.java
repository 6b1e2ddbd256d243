/**
 * The state server: namespaces, versions, the change journal and the operations; not API, no
 * compatibility promise.
 */
@NullMarked
package io.zproc.internal.server;

import org.jspecify.annotations.NullMarked;
