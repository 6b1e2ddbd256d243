package io.zproc.rsocket.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.zproc.rsocket.WireClient;
import io.zproc.rsocket.WireServer;
import io.zproc.rsocket.client.Connector;
import io.zproc.rsocket.server.ServerAssembly;
import org.junit.jupiter.api.Test;

/**
 * The transport's packages point one way (see docs/architecture.md): the API in {@code
 * io.zproc.rsocket}, then {@code .codec}, {@code .internal}, {@code .lane}, and {@code .client} and
 * {@code .server} on top. The one way back is the API's two factories, {@link WireClient#connect}
 * and {@link WireServer#bind}, which must start the implementation they are the entry to.
 */
class TransportArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.zproc.rsocket");

  /** A class of a package under the API's. */
  private static final DescribedPredicate<JavaClass> SUBPACKAGES =
      DescribedPredicate.describe(
          "a class of a package under io.zproc.rsocket",
          c -> c.getPackageName().startsWith("io.zproc.rsocket."));

  /** Every package its own slice, the API package included. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          return SliceIdentifier.of(c.getPackageName());
        }

        @Override
        public String getDescription() {
          return "the transport's packages";
        }
      };

  @Test
  void packages_formNoCycle_butThroughTheTwoFactories() {
    slices()
        .assignedFrom(PACKAGES)
        .should()
        .beFreeOfCycles()
        .ignoreDependency(WireClient.class, Connector.class)
        .ignoreDependency(WireServer.class, ServerAssembly.class)
        .check(CLASSES);
  }

  @Test
  void api_reachesTheImplementationOnlyThroughItsTwoFactories() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.rsocket")
        .and()
        .doNotBelongToAnyOf(WireClient.class, WireServer.class)
        .should()
        .dependOnClassesThat(SUBPACKAGES)
        .check(CLASSES);
    noClasses()
        .that()
        .belongToAnyOf(WireClient.class)
        .should()
        .dependOnClassesThat(SUBPACKAGES.and(not(equivalentTo(Connector.class))))
        .check(CLASSES);
    noClasses()
        .that()
        .belongToAnyOf(WireServer.class)
        .should()
        .dependOnClassesThat(SUBPACKAGES.and(not(equivalentTo(ServerAssembly.class))))
        .check(CLASSES);
  }

  @Test
  void clientAndServer_doNotUseEachOther() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.rsocket.client..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.zproc.rsocket.server..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("io.zproc.rsocket.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.zproc.rsocket.client..")
        .check(CLASSES);
  }
}
