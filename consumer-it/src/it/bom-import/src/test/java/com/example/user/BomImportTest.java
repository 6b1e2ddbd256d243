package com.example.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.zproc.ZProc;
import java.io.File;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A project that imports zproc-bom gets the versions the library was tested with. */
class BomImportTest {
  private static final Pattern NETTY_JAR = Pattern.compile(".*/io/netty/([^/]+)/([^/]+)/[^/]+\\.jar$");

  @Test
  void theBomPinsTheTestedNettyAndJackson() {
    Set<String> versions = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Matcher m = NETTY_JAR.matcher(entry.replace(File.separatorChar, '/'));
      if (m.matches()) {
        versions.add(m.group(2));
      }
    }
    assertEquals(Set.of(System.getProperty("expected.netty.version")), versions);
    assertEquals(System.getProperty("expected.jackson.version"), PackageVersion.VERSION.toString());
  }

  @Test
  void aChildProcessConnects() {
    try (ZProc ctx = ZProc.start()) {
      Integer result =
          ctx.process(s -> s.increment("n", 2).block().intValue()).result().block(Duration.ofSeconds(60));
      assertEquals(2, result);
      assertTrue(ctx.processes().get(0).exitCode().isPresent());
    }
  }
}
