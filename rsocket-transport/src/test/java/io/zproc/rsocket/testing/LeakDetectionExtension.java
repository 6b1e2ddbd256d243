package io.zproc.rsocket.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a leaked buffer while it (or an earlier class) ran.
 *
 * <p>After all tests of a class, collects garbage, makes Netty's detectors look, and throws an
 * {@link AssertionError} listing every leak recorded since the last check, with Netty's access
 * records (at the {@code paranoid} level the build uses, these show where the buffer was made and
 * touched). A leak is found only once its buffer is collected, so it may surface one class late.
 *
 * <p>Auto-registered through {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * (with {@code junit.jupiter.extensions.autodetection.enabled=true}, which the build sets).
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

  /** Whether Netty is on the class path; without it there is nothing to watch. */
  static final boolean NETTY_PRESENT = isPresent("io.netty.util.ResourceLeakDetectorFactory");

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, LeakDetectionExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // The session listener normally did this already; this covers launchers without sessions.
    if (NETTY_PRESENT) {
      LeakRecorder.install();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!NETTY_PRESENT) {
      return;
    }
    LeakRecorder.triggerDetection();
    List<LeakRecorder.Leak> leaks = LeakRecorder.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(describe(context.getDisplayName(), leaks));
    }
  }

  static String describe(String where, List<LeakRecorder.Leak> leaks) {
    StringBuilder text =
        new StringBuilder()
            .append("Netty reported ")
            .append(leaks.size())
            .append(" leaked resource(s) by the end of ")
            .append(where)
            .append(" (in it or in a class that ran before it); release every ByteBuf/Payload")
            .append(" you take ownership of:");
    for (LeakRecorder.Leak leak : leaks) {
      text.append("\n\n").append(leak);
    }
    return text.toString();
  }
}
