package io.zproc.rsocket.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The transport's packages point one way (see docs/architecture.md): the API in {@code
 * io.zproc.rsocket}, which depends on none of the others, then {@code .codec}, {@code .internal},
 * {@code .lane}, {@code .client} and {@code .server}, and on top the entry, {@code .connect}'s
 * {@code Wire}, which opens clients and binds servers and which nothing else in the transport uses.
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
  void packages_formNoCycle() {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void api_dependsOnNoOtherPackageOfTheTransport() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.rsocket")
        .should()
        .dependOnClassesThat(SUBPACKAGES)
        .check(CLASSES);
  }

  @Test
  void nothingDependsOnTheEntry() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.zproc.rsocket.connect..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.zproc.rsocket.connect..")
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
