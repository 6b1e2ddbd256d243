package io.zproc.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The command is a user of the library like any other: it uses the public API only. */
class CliArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.zproc.cli");

  @Test
  void usesOnlyThePublicApi() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.zproc.internal..", "io.zproc.rsocket..", "io.netty..", "io.rsocket..")
        .check(CLI);
  }
}
