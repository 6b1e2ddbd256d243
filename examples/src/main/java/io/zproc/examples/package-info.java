/** Runnable examples: the README's tour and the original ZProc guide's examples in Java. */
package io.zproc.examples;
