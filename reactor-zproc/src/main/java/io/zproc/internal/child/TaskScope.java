package io.zproc.internal.child;

import io.zproc.internal.process.Launcher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a task left of its JVM, judged after it returned: whether the JVM may run another task of
 * the same context (the parent's pool then keeps it as a warm spare) or must end, as a fresh JVM's
 * process would.
 *
 * <p>A JVM is reused only when the task returned a value and left nothing that would outlive a
 * process of its own: no thread it started that keeps a JVM alive (a non-daemon thread), the same
 * system properties, {@code System.out} and {@code System.err}, and a resident size of at most
 * {@link #MAX_RESIDENT_BYTES}. Static fields are not judged: they outlive the task (see
 * docs/processes.md, "JVM reuse"). The child's connection is replaced after each task, so nothing
 * the task subscribed to outlives it.
 *
 * <p><b>Threading:</b> made and judged on the child's main thread.
 */
final class TaskScope {
  /** Above this resident size a JVM ends after its task instead of waiting as a spare. */
  static final long MAX_RESIDENT_BYTES = 192L << 20;

  private final Set<Thread> threadsBefore;
  private final Properties propertiesBefore;
  private final PrintStream out;
  private final PrintStream err;

  private TaskScope() {
    this.threadsBefore = liveThreads();
    this.propertiesBefore = (Properties) System.getProperties().clone();
    this.out = System.out;
    this.err = System.err;
  }

  /** Notes what the JVM holds before a task runs. */
  static TaskScope before() {
    return new TaskScope();
  }

  /**
   * Why this JVM must end after its task, or null if it may run another: a dumping JVM (it must
   * exit normally to write its class list), a thread the task left running that is not a daemon,
   * changed system properties or standard streams, or a resident size above {@link
   * #MAX_RESIDENT_BYTES}.
   */
  @Nullable String whyNotReusable() {
    return whyNotReusable(MAX_RESIDENT_BYTES);
  }

  /** {@link #whyNotReusable()} with another limit on the resident size. */
  @Nullable String whyNotReusable(long maxResidentBytes) {
    if (Boolean.getBoolean(Launcher.DUMPING)) {
      return "it lists its classes for the class-data archive";
    }
    if (System.out != out || System.err != err) {
      return "the task replaced System.out or System.err";
    }
    if (!System.getProperties().equals(propertiesBefore)) {
      return "the task changed system properties";
    }
    for (Thread t : liveThreads()) {
      if (!threadsBefore.contains(t) && t.isAlive() && !t.isDaemon()) {
        return "the task left the thread " + t.getName() + " running";
      }
    }
    long resident = residentBytes();
    if (resident > maxResidentBytes) {
      return "its resident size grew to " + (resident >> 20) + " MB";
    }
    return null;
  }

  /** The threads alive now. */
  private static Set<Thread> liveThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 16];
    int n;
    while ((n = root.enumerate(threads, true)) == threads.length) {
      threads = new Thread[threads.length * 2];
    }
    Set<Thread> set = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < n; i++) {
      set.add(threads[i]);
    }
    return set;
  }

  /**
   * This JVM's resident size, from {@code /proc/self/statm} (4 KiB pages); where that cannot be
   * read, the heap in use stands in for it.
   */
  static long residentBytes() {
    try {
      String[] fields =
          new String(Files.readAllBytes(Path.of("/proc/self/statm")), StandardCharsets.US_ASCII)
              .trim()
              .split(" ");
      return Long.parseLong(fields[1]) * 4096L;
    } catch (IOException | RuntimeException e) {
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
  }
}
