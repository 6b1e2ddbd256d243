package io.zproc;

/** Where a process runs. */
public enum Backend {
  /** A child JVM with the parent's classpath (the default). */
  JVM,
  /**
   * A thread of this JVM, for tests and light work. The task still goes through serialization, so
   * code that works here works in a child JVM.
   */
  THREAD
}
