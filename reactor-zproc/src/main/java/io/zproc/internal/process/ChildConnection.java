package io.zproc.internal.process;

import io.zproc.ZProc;

/**
 * What a child JVM needs from its connection to the parent's server: a context (a {@code
 * ContextTask} gets it whole, a {@code ProcessTask} its own {@link #state()}) whose own state can
 * restart its cursor where the parent's {@code process(...)} call was.
 */
public interface ChildConnection extends ZProc {

  /**
   * Makes a new own state client whose buffered cursor starts at a version: a pre-started child
   * gets its task later than it connected, and its cursor starts when the parent started it.
   */
  void renewState(long cursor);
}
