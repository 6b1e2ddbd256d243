package com.example.modular;

import io.zproc.MapOptions;
import io.zproc.Snapshot;
import io.zproc.State;
import io.zproc.ZProc;
import io.zproc.ZProcess;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * What a new user does first, from their own module on the module path: state, a watcher released
 * by a child process, the child's result, processMap. Exits with 1, which fails the build, if
 * anything is not as it should be; "expect-epoll" also checks that Netty's native epoll is there,
 * in this JVM and in the children.
 */
public final class App {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A value of the user's own type: Jackson binds it (this package is open to it). */
  public record Cookie(String kind, int count) {}

  private App() {}

  public static void main(String[] args) {
    boolean expectEpoll = Arrays.asList(args).contains("expect-epoll");
    try {
      run(expectEpoll);
    } catch (Throwable t) {
      System.err.println("module-path user project FAILED");
      t.printStackTrace();
      System.exit(1);
    }
    System.out.println("module-path user project: OK (" + where() + ")");
    System.exit(0);
  }

  static void run(boolean expectEpoll) {
    // This JVM runs the application and the library as named modules, and sees only the API.
    check(System.getProperty("jdk.module.path") != null, "no module path");
    check(App.class.getModule().isNamed(), "the application is not a named module");
    Module library = ZProc.class.getModule();
    check("io.zproc".equals(library.getName()), "the library is not the module io.zproc");
    check(library.isExported("io.zproc") && library.isExported("io.zproc.metrics"), "no API");
    check(!library.isExported("io.zproc.internal.client"), "the library exports its internals");
    Module transport = ModuleLayer.boot().findModule("io.zproc.rsocket").orElseThrow();
    check(
        !transport.isExported("io.zproc.rsocket", App.class.getModule()),
        "the transport's API is exported to the user");
    if (expectEpoll && epollExpectedHere()) {
      check(epoll(), "Netty's native epoll is not available with its module added");
    }

    try (ZProc ctx = ZProc.start()) {
      State state = ctx.state();
      state.put("greeting", "hello").block(WAIT);
      check("hello".equals(state.get("greeting").block(WAIT)), "put/get");
      state.put("cookie", new Cookie("oat", 2)).block(WAIT);
      Cookie cookie = state.get("cookie", Cookie.class).block(WAIT);
      check(new Cookie("oat", 2).equals(cookie), "a record there and back: " + cookie);

      // a watcher set before the child changes the state, released by the child's change
      Mono<Snapshot> three = state.whenEqual("cookies", 3).cache();
      three.subscribe();
      ZProcess<String> baker =
          ctx.process(
              s -> {
                for (int i = 1; i <= 3; i++) {
                  s.put("cookies", i).block();
                }
                return where();
              });
      String child = baker.result().block(WAIT); // fails at once if the child cannot start
      check(where().equals(child), "the child ran as " + child + ", not as " + where());
      check(baker.exitCode().orElse(-1) == 0, "the child's exit code: " + baker.exitCode());
      Snapshot seen = three.block(WAIT);
      check(seen != null && Integer.valueOf(3).equals(seen.get("cookies")), "whenEqual: " + seen);

      List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7, 8);
      List<String> mapped =
          ctx.processMap(items, (Integer i) -> i * i + " " + where(), MapOptions.defaults().count(2))
              .collectList()
              .block(WAIT);
      List<String> expected = new ArrayList<>();
      for (int i : items) {
        expected.add(i * i + " " + where());
      }
      check(expected.equals(mapped), "processMap: " + mapped);
    }
  }

  /**
   * Where this code runs: the library's module and the task's module (so a child on the class
   * path, or without the user's module, shows), whether Netty's native epoll is loaded, and whether
   * a class-data archive was asked for.
   */
  static String where() {
    return ZProc.class.getModule().getName()
        + " "
        + App.class.getModule().getName()
        + " epoll="
        + epoll()
        + " modulePath="
        + (System.getProperty("jdk.module.path") != null)
        + " classDataArchive="
        + classDataArchive();
  }

  /**
   * Whether this JVM was started with the library's class-data archive flags: the archive keys on
   * the class path, so a child on the module path must start without them (as its parent did).
   */
  static boolean classDataArchive() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(
            a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:DumpLoadedClassList"));
  }

  /** Whether Netty's native epoll transport is available in this JVM (by reflection). */
  static boolean epoll() {
    try {
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
      return (Boolean) epoll.getMethod("isAvailable").invoke(null);
    } catch (ReflectiveOperationException | LinkageError e) {
      return false;
    }
  }

  /** Netty ships epoll natives for Linux on x86_64 and aarch64 (both jars come with the library). */
  private static boolean epollExpectedHere() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return System.getProperty("os.name", "").startsWith("Linux")
        && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what);
    }
  }
}
