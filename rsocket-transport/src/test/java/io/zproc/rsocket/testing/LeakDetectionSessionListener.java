package io.zproc.rsocket.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the {@link LeakRecorder} when the JUnit launcher session opens: before discovery, so
 * before any test class (and, normally, any Netty buffer class) is loaded.
 *
 * <p>Registered in {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} of
 * this module's test jar, so every module that has the test jar on its test class path gets it.
 */
public final class LeakDetectionSessionListener implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    if (LeakDetectionExtension.NETTY_PRESENT) {
      LeakRecorder.install();
    }
  }
}
