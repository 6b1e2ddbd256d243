/**
 * The state protocol spoken over the transport: the operations ({@link
 * io.zproc.internal.protocol.Op}), the names of their arguments and reply fields ({@link
 * io.zproc.internal.protocol.Fields}), the key tests of the {@code when} operation ({@link
 * io.zproc.internal.protocol.KeyTest}), the shapes of structured replies ({@link
 * io.zproc.internal.protocol.Replies}) and the error codes ({@link
 * io.zproc.internal.protocol.ErrorCodes}). Server and client both use these types, so each name is
 * written once; {@code docs/wire-format.md} is the specification. Not API, no compatibility
 * promise.
 */
@NullMarked
package io.zproc.internal.protocol;

import org.jspecify.annotations.NullMarked;
