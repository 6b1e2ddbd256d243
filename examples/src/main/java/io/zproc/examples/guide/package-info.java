/**
 * The original ZProc guide ("Introduction to ZProc"), section by section, as runnable mains: one
 * class per section, each on an embedded server started with {@link io.zproc.ZProc#start()}. See
 * {@code examples/README.md} for the list.
 */
package io.zproc.examples.guide;
