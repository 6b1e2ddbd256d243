package io.zproc.rsocket.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.zproc.rsocket.WireClient;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module descriptor this module is built with (module-info.java, read from the compiled main
 * classes): the tests run on the class path, so nothing else would notice an export too many.
 */
class ModuleDescriptorTest {
  private static final ModuleDescriptor MODULE = builtDescriptor();

  static ModuleDescriptor builtDescriptor() {
    try {
      // target/classes under `test`, the module's jar under `verify`
      Path classes =
          Path.of(WireClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<ModuleReference> found = List.copyOf(ModuleFinder.of(classes).findAll());
      assertThat(found).as("the module in " + classes).hasSize(1);
      return found.get(0).descriptor();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void isTheNamedModuleIoZprocRsocket() {
    assertThat(MODULE.name()).isEqualTo("io.zproc.rsocket");
    assertThat(MODULE.isAutomatic()).isFalse();
    assertThat(MODULE.isOpen()).isFalse();
  }

  @Test
  void exportsItsApiItsEntryAndTheSameHostHelpers_toReactorZprocOnly() {
    Map<String, Set<String>> exports = new TreeMap<>();
    for (Exports e : MODULE.exports()) {
      exports.put(e.source(), new TreeSet<>(e.targets()));
    }
    assertThat(exports)
        .isEqualTo(
            Map.of(
                "io.zproc.rsocket", Set.of("io.zproc"),
                "io.zproc.rsocket.connect", Set.of("io.zproc"),
                "io.zproc.rsocket.internal", Set.of("io.zproc")));
    assertThat(MODULE.exports()).noneMatch(e -> !e.isQualified());
  }

  @Test
  void opensNothing_andUsesOrProvidesNoService() {
    assertThat(MODULE.opens()).isEmpty();
    assertThat(MODULE.uses()).isEmpty();
    assertThat(MODULE.provides()).isEmpty();
  }

  @Test
  void passesOnTheModulesOfItsApisSignatures() {
    Set<String> transitive =
        MODULE.requires().stream()
            .filter(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
            .map(Requires::name)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(transitive)
        .containsExactlyInAnyOrder(
            "reactor.core",
            "org.reactivestreams",
            "com.fasterxml.jackson.databind",
            "org.jspecify");
  }

  @Test
  void holdsEveryPackageOfTheTransport() {
    assertThat(MODULE.packages())
        .contains(
            "io.zproc.rsocket",
            "io.zproc.rsocket.client",
            "io.zproc.rsocket.connect",
            "io.zproc.rsocket.server",
            "io.zproc.rsocket.codec",
            "io.zproc.rsocket.internal",
            "io.zproc.rsocket.lane")
        .allMatch(p -> p.equals("io.zproc.rsocket") || p.startsWith("io.zproc.rsocket."));
  }
}
