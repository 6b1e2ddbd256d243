package io.zproc.internal.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** How a user's JVM options replace the built-in flags of a child's command line. */
final class JvmFlags {
  private JvmFlags() {}

  /**
   * The built-in flags that none of the user's options overrides. A user's flag replaces every
   * built-in flag of its kind: the same {@code -XX} option or system property, any garbage
   * collector for a collector, the compiler settings for a compiler setting, the heap sizing for a
   * heap size. Without that, {@code -XX:+UseParallelGC} beside the built-in {@code
   * -XX:+UseSerialGC} makes the JVM refuse to start ("multiple garbage collectors selected").
   */
  static List<String> withoutOverridden(List<String> builtIn, List<String> userOptions) {
    if (userOptions.isEmpty()) {
      return builtIn;
    }
    Set<String> userKinds = new HashSet<>();
    for (String option : userOptions) {
      userKinds.add(kind(option));
    }
    List<String> kept = new ArrayList<>(builtIn.size());
    for (String flag : builtIn) {
      if (!userKinds.contains(kind(flag))) {
        kept.add(flag);
      }
    }
    return kept;
  }

  /** What a flag sets, so that two flags of one kind are known to clash. */
  static String kind(String flag) {
    if (flag.startsWith("-D")) {
      int eq = flag.indexOf('=');
      return "property " + (eq < 0 ? flag.substring(2) : flag.substring(2, eq));
    }
    if (flag.startsWith("-XX:")) {
      String body = flag.substring(4);
      if (body.startsWith("+") || body.startsWith("-")) {
        body = body.substring(1);
      }
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      if (name.startsWith("Use") && name.endsWith("GC")) {
        return "collector";
      }
      switch (name) {
        case "TieredStopAtLevel":
        case "CICompilerCount":
        case "TieredCompilation":
          return "compiler";
        case "InitialHeapSize":
        case "MaxHeapSize":
        case "MinHeapSize":
        case "NewSize":
        case "MaxNewSize":
        case "NewRatio":
        case "MinHeapFreeRatio":
        case "MaxHeapFreeRatio":
        case "MaxRAMPercentage":
        case "InitialRAMPercentage":
        case "MinRAMPercentage":
          return "heap";
        default:
          return "-XX:" + name;
      }
    }
    if (flag.equals("-Xint") || flag.equals("-Xcomp") || flag.equals("-Xmixed")) {
      return "compiler";
    }
    if (flag.startsWith("-Xms") || flag.startsWith("-Xmx") || flag.startsWith("-Xmn")) {
      return "heap";
    }
    if (flag.startsWith("-Xss")) {
      return "-Xss";
    }
    if (flag.startsWith("-Xshare:")) {
      return "-Xshare";
    }
    return flag; // anything else clashes only with itself
  }
}
