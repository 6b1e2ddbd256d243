package io.zproc.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.ZProc;
import io.zproc.internal.child.ChildMain;
import io.zproc.rsocket.WireClient;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Opens;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The module descriptors reactor-zproc is built with (module-info.java, read from the compiled main
 * classes of this module and of rsocket-transport): the tests run on the class path, so nothing
 * else would notice an export too many. A user on the module path sees {@code io.zproc} and {@code
 * io.zproc.metrics}, nothing of the internals or of the transport.
 */
class ModuleDescriptorTest {
  private static final ModuleDescriptor MODULE = builtDescriptor(ZProc.class);
  private static final ModuleDescriptor TRANSPORT = builtDescriptor(WireClient.class);

  /** The descriptor in the classes folder or jar that {@code type} was loaded from. */
  static ModuleDescriptor builtDescriptor(Class<?> type) {
    try {
      Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<ModuleReference> found = List.copyOf(ModuleFinder.of(classes).findAll());
      assertThat(found).as("the module in " + classes).hasSize(1);
      return found.get(0).descriptor();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Set<String>> byPackage(Set<? extends Object> directives) {
    Map<String, Set<String>> map = new TreeMap<>();
    for (Object d : directives) {
      if (d instanceof Exports e) {
        map.put(e.source(), new TreeSet<>(e.targets()));
      } else if (d instanceof Opens o) {
        map.put(o.source(), new TreeSet<>(o.targets()));
      }
    }
    return map;
  }

  private static Optional<Requires> requires(String module) {
    return MODULE.requires().stream().filter(r -> r.name().equals(module)).findFirst();
  }

  @Test
  void isTheNamedModuleIoZproc() {
    assertThat(MODULE.name()).isEqualTo("io.zproc");
    assertThat(MODULE.isAutomatic()).isFalse();
    assertThat(MODULE.isOpen()).isFalse();
  }

  @Test
  void exportsTheApiAndTheMeters_toEveryone_andNothingElse() {
    assertThat(byPackage(MODULE.exports()))
        .isEqualTo(Map.of("io.zproc", Set.of(), "io.zproc.metrics", Set.of()));
    Set<String> hidden = new TreeSet<>(MODULE.packages());
    hidden.removeAll(Set.of("io.zproc", "io.zproc.metrics"));
    assertThat(hidden)
        .isNotEmpty()
        .allMatch(p -> p.equals("io.zproc.internal") || p.startsWith("io.zproc.internal."));
  }

  @Test
  void opensOnlyTheChildPackage_toJacksonsDataBindingOnly() {
    // ChildMain.Probe, a record the value mapper binds while a child lists its classes
    assertThat(byPackage(MODULE.opens()))
        .isEqualTo(
            Map.of(ChildMain.class.getPackageName(), Set.of("com.fasterxml.jackson.databind")));
    assertThat(MODULE.uses()).isEmpty();
    assertThat(MODULE.provides()).isEmpty();
  }

  @Test
  void usersReadReactorThroughIt_butNotTheTransport() {
    assertThat(requires("reactor.core").orElseThrow().modifiers())
        .contains(Requires.Modifier.TRANSITIVE);
    assertThat(requires("org.reactivestreams").orElseThrow().modifiers())
        .contains(Requires.Modifier.TRANSITIVE);
    assertThat(requires("io.zproc.rsocket").orElseThrow().modifiers())
        .doesNotContain(Requires.Modifier.TRANSITIVE, Requires.Modifier.STATIC);
    assertThat(requires("com.fasterxml.jackson.databind").orElseThrow().modifiers())
        .doesNotContain(Requires.Modifier.TRANSITIVE);
  }

  @Test
  void micrometerIsOptional() {
    assertThat(requires("micrometer.core").orElseThrow().modifiers())
        .contains(Requires.Modifier.STATIC);
  }

  @Test
  void lettuceIsOptional() {
    // only a server started with a redis:// store loads it
    assertThat(requires("lettuce.core").orElseThrow().modifiers())
        .contains(Requires.Modifier.STATIC)
        .doesNotContain(Requires.Modifier.TRANSITIVE);
  }

  @Test
  void theChildsMainClassIsInTheModule_forItsLaunchThroughIt() {
    // a child on the module path starts with -m io.zproc/io.zproc.internal.child.ChildMain
    assertThat(MODULE.packages()).contains(ChildMain.class.getPackageName());
  }

  @Test
  void theTransportExportsToThisModule_byItsName() {
    assertThat(TRANSPORT.name()).isEqualTo("io.zproc.rsocket");
    assertThat(TRANSPORT.exports())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.targets()).containsExactly(MODULE.name()));
  }
}
