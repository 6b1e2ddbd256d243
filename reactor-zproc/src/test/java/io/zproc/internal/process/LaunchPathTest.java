package io.zproc.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaunchPathTest {
  private static final String MAIN = Launcher.CHILD_MAIN;

  @Test
  void onTheClassPath_aChildGetsTheClassPathAndItsMainClass() {
    assertThat(LaunchPath.mainArgs(MAIN, "a.jar:b.jar", null, null, null, Set.of()))
        .containsExactly("-cp", "a.jar:b.jar", MAIN);
    // an empty module path is none
    assertThat(LaunchPath.mainArgs(MAIN, "a.jar", "", "", null, Set.of()))
        .containsExactly("-cp", "a.jar", MAIN);
    assertThat(LaunchPath.onModulePath(null, null)).isFalse();
    assertThat(LaunchPath.onModulePath(null, "")).isFalse();
  }

  @Test
  void thisTestJvm_isOnTheClassPath_soChildrenStartAsTheyAlwaysDid() {
    assertThat(LaunchPath.onModulePath()).isFalse();
    assertThat(LaunchPath.mainArgs(MAIN))
        .containsExactly("-cp", System.getProperty("java.class.path"), MAIN);
  }

  @Test
  void onTheModulePath_aChildGetsTheModulePathTheParentsModules_andStartsThroughTheLibrary() {
    List<String> args =
        LaunchPath.mainArgs(
            MAIN, "", "/mods/app.jar:/mods/lib", null, "io.zproc", Set.of("io.zproc", "app"));
    assertThat(args)
        .containsExactly(
            "--module-path",
            "/mods/app.jar:/mods/lib",
            "--add-modules",
            "app,io.zproc",
            "-m",
            "io.zproc/" + MAIN);
    assertThat(LaunchPath.onModulePath("io.zproc", null)).isTrue();
    assertThat(LaunchPath.onModulePath(null, "/mods")).isTrue();
  }

  @Test
  void onTheModulePath_aClassPathAndAnUpgradeModulePathComeAlong() {
    assertThat(
            LaunchPath.mainArgs(MAIN, "extra.jar", "/mods", "/upgrades", "io.zproc", Set.of("a")))
        .containsExactly(
            "--upgrade-module-path",
            "/upgrades",
            "--module-path",
            "/mods",
            "--add-modules",
            "a",
            "-cp",
            "extra.jar",
            "-m",
            "io.zproc/" + MAIN);
  }

  @Test
  void theLibraryOnTheClassPath_besideModules_startsTheChildsMainFromTheClassPath() {
    assertThat(LaunchPath.mainArgs(MAIN, "lib.jar", "/mods", null, null, Set.of("app")))
        .containsExactly("--module-path", "/mods", "--add-modules", "app", "-cp", "lib.jar", MAIN);
  }

  @Test
  void aModularImage_withoutModulePath_stillResolvesTheParentsModules() {
    // a jlink'ed runtime: the modules are in the image, none on a module path
    assertThat(LaunchPath.mainArgs(MAIN, "", null, null, "io.zproc", Set.of("app", "io.zproc")))
        .containsExactly("--add-modules", "app,io.zproc", "-m", "io.zproc/" + MAIN);
  }
}
