package io.zproc.internal.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where a child JVM finds its classes: the end of its command line. On the class path (the usual
 * case) a child gets the parent's class path and its main class, {@code -cp <java.class.path>
 * <main>}, as always.
 *
 * <p>On the module path (this library is a named module, or the parent has a module path) the class
 * path is not enough: the library, its dependencies and the user's task classes are modules. A
 * child then gets the parent's module path ({@code jdk.module.path}, and {@code
 * jdk.module.upgrade.path} if set), every module of the parent's boot layer ({@code --add-modules}:
 * the user's own modules are not required by this library, so they would not be resolved otherwise;
 * so the child resolves what the parent resolved, the JDK's modules and Netty's native jars
 * included, from a module path or a linked image alike), the class path if the parent has one, and
 * its main class through this library's module ({@code -m io.zproc/<main>}). Other module options
 * of the parent ({@code --add-opens}, {@code --add-exports}, {@code --add-reads}, {@code
 * --patch-module}) are not carried, as no JVM option of the parent is: a task that needs them
 * passes them as {@code ProcessOptions.jvmOptions}.
 *
 * <p>Class-data archives key on the class path, so a child on the module path boots without one
 * ({@link #onModulePath}).
 */
final class LaunchPath {
  private LaunchPath() {}

  /** Whether children start on the module path (and so without a class-data archive). */
  static boolean onModulePath() {
    return onModulePath(ownModule(), System.getProperty("jdk.module.path"));
  }

  static boolean onModulePath(@Nullable String ownModule, @Nullable String modulePath) {
    return ownModule != null || (modulePath != null && !modulePath.isEmpty());
  }

  /** The end of a child's command line for this JVM: where its classes are, and its main class. */
  static List<String> mainArgs(String mainClass) {
    String modulePath = System.getProperty("jdk.module.path");
    String ownModule = ownModule();
    return mainArgs(
        mainClass,
        System.getProperty("java.class.path", ""),
        modulePath,
        System.getProperty("jdk.module.upgrade.path"),
        ownModule,
        onModulePath(ownModule, modulePath) ? bootModules() : Set.of());
  }

  /**
   * The end of a child's command line.
   *
   * @param classPath the parent's class path (may be empty)
   * @param modulePath the parent's module path, or null
   * @param upgradeModulePath the parent's upgrade module path, or null
   * @param ownModule this library's module name, or null when it is on the class path
   * @param modules the modules to resolve in the child (on the module path)
   */
  static List<String> mainArgs(
      String mainClass,
      String classPath,
      @Nullable String modulePath,
      @Nullable String upgradeModulePath,
      @Nullable String ownModule,
      Set<String> modules) {
    List<String> args = new ArrayList<>();
    if (!onModulePath(ownModule, modulePath)) {
      args.add("-cp");
      args.add(classPath);
      args.add(mainClass);
      return args;
    }
    if (upgradeModulePath != null && !upgradeModulePath.isEmpty()) {
      args.add("--upgrade-module-path");
      args.add(upgradeModulePath);
    }
    if (modulePath != null && !modulePath.isEmpty()) {
      args.add("--module-path");
      args.add(modulePath);
    }
    if (!modules.isEmpty()) {
      args.add("--add-modules");
      args.add(String.join(",", new TreeSet<>(modules)));
    }
    if (!classPath.isEmpty()) {
      args.add("-cp");
      args.add(classPath);
    }
    if (ownModule != null) {
      args.add("-m");
      args.add(ownModule + "/" + mainClass);
    } else {
      args.add(mainClass); // the library is on the class path, the user's modules beside it
    }
    return args;
  }

  private static @Nullable String ownModule() {
    Module module = LaunchPath.class.getModule();
    return module.isNamed() ? module.getName() : null;
  }

  /** The modules of this JVM's boot layer, but {@code java.base} (always there). */
  private static Set<String> bootModules() {
    Set<String> names = new TreeSet<>();
    for (Module module : ModuleLayer.boot().modules()) {
      names.add(module.getName());
    }
    names.remove("java.base");
    return names;
  }
}
