package io.zproc.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between the modules and packages (see docs/architecture.md), checked on the
 * compiled main classes of both library modules: a change that crosses one fails here with the
 * dependency that crossed it.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // both library modules: reactor-zproc's classes, and rsocket-transport's, which come
          // as a folder under `test` and as a jar under `verify`
          .withImportOption(location -> !location.isJar() || location.contains("rsocket-transport"))
          .importPackages("io.zproc");

  /** Packages whose types must not appear in a public signature of the API. */
  private static final String[] HIDDEN = {
    "io.zproc.internal..",
    "io.zproc.rsocket..",
    "io.netty..",
    "io.rsocket..",
    "com.fasterxml..",
    "io.lettuce.."
  };

  @Test
  void transport_knowsNothingOfTheState() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.rsocket..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.zproc", "io.zproc.internal..", "io.zproc.metrics..")
        .because("rsocket-transport carries messages; what a state is belongs to reactor-zproc")
        .check(CLASSES);
  }

  @Test
  void api_reachesTheImplementationOnlyThroughItsFactories() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc")
        .and()
        .doNotHaveSimpleName("ZProc")
        .and()
        .doNotHaveSimpleName("ZProcServer")
        .and()
        .doNotHaveSimpleName("ZProcWorker")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.zproc.internal..", "io.zproc.rsocket..")
        .check(CLASSES);
    classes()
        .that()
        .haveSimpleName("ZProc")
        .or()
        .haveSimpleName("ZProcServer")
        .or()
        .haveSimpleName("ZProcWorker")
        .should()
        .onlyDependOnClassesThat(
            DescribedPredicate.describe(
                "the API, the JDK, Reactor, or the entry points ClientContext, StateServer,"
                    + " ServerMain, WorkerNode and WorkerMain",
                c ->
                    !c.getPackageName().startsWith("io.zproc.")
                        || Set.of(
                                "ClientContext",
                                "StateServer",
                                "ServerMain",
                                "WorkerNode",
                                "WorkerMain")
                            .contains(c.getSimpleName())
                        || c.getPackageName().equals("io.zproc")))
        .check(CLASSES);
  }

  @Test
  void clientContext_isReachedFromOutsideTheInternalsOnlyByTheFactory() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.zproc.internal..")
        .and()
        .doNotHaveFullyQualifiedName("io.zproc.ZProc")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.zproc.internal.client.ClientContext")
        .because("monitoring and tools read a context through internal.client.Introspection")
        .check(CLASSES);
  }

  @Test
  void stateServer_isReachedFromOutsideTheInternalsOnlyByTheFactory() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.zproc.internal..")
        .and()
        .doNotHaveFullyQualifiedName("io.zproc.ZProcServer")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.zproc.internal.server.StateServer")
        .because("monitoring reads a server through internal.server.ServerIntrospection")
        .check(CLASSES);
  }

  @Test
  void publicSignatures_exposeNoInternalTransportOrLibraryType() {
    members()
        .that()
        .areDeclaredInClassesThat()
        .resideInAnyPackage("io.zproc", "io.zproc.metrics")
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .and()
        .arePublic()
        .should(exposeNoTypeFrom(HIDDEN))
        .check(CLASSES);
  }

  @Test
  void internalPackages_formNoCycle() {
    slices().matching("io.zproc.internal.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void internalLayers_pointOneWay() {
    // worker > client; child > client > map > process; client > server > protocol
    noClasses()
        .that()
        .resideOutsideOfPackage("io.zproc.internal.worker..")
        .and()
        .doNotHaveFullyQualifiedName("io.zproc.ZProcWorker")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.zproc.internal.worker..")
        .because("the remote worker is reached only through ZProcWorker")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("io.zproc.internal.process..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.zproc.internal.child..",
            "io.zproc.internal.client..",
            "io.zproc.internal.map..",
            "io.zproc.internal.server..",
            "io.zproc.internal.worker..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("io.zproc.internal.map..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.zproc.internal.child..",
            "io.zproc.internal.client..",
            "io.zproc.internal.server..",
            "io.zproc.internal.worker..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAnyPackage("io.zproc.internal.server..", "io.zproc.internal.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.zproc.internal.child..",
            "io.zproc.internal.client..",
            "io.zproc.internal.map..",
            "io.zproc.internal.process..")
        .check(CLASSES);
  }

  @Test
  void store_knowsNothingOfTheEngineOrTheClients_andAloneLoadsLettuce() {
    // server > store > protocol: the store keeps bytes, versions and epochs
    noClasses()
        .that()
        .resideInAPackage("io.zproc.internal.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.zproc.internal.server..",
            "io.zproc.internal.child..",
            "io.zproc.internal.client..",
            "io.zproc.internal.map..",
            "io.zproc.internal.process..")
        .check(CLASSES);
    // Lettuce is optional: only the redis store's package (and the holder that reaches it once
    // Lettuce is known to be there) names its classes
    noClasses()
        .that()
        .resideOutsideOfPackage("io.zproc.internal.store.redis..")
        .and()
        .doNotHaveFullyQualifiedName("io.zproc.internal.store.Stores$Redis")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.lettuce..", "io.zproc.internal.store.redis..")
        .because("a user of the memory store has no Lettuce on the class path")
        .check(CLASSES);
  }

  @Test
  void stateLibrary_usesOnlyTheTransportsApiAndTwoNamedHelpers() {
    noClasses()
        .that()
        .resideInAPackage("io.zproc.internal..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "transport internals other than PrivateDir and SocketFiles",
                c ->
                    (c.getPackageName().startsWith("io.zproc.rsocket.internal")
                            && !Set.of("PrivateDir", "SocketFiles").contains(c.getSimpleName()))
                        || c.getPackageName().startsWith("io.zproc.rsocket.lane")))
        .check(CLASSES);
  }

  /** A public member whose type, parameters, exceptions or type arguments name no hidden type. */
  private static ArchCondition<JavaMember> exposeNoTypeFrom(String... packages) {
    DescribedPredicate<JavaClass> hidden =
        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(packages);
    return new ArchCondition<>("expose no type from " + String.join(", ", packages)) {
      @Override
      public void check(JavaMember member, ConditionEvents events) {
        List<JavaType> types = new ArrayList<>();
        if (member instanceof JavaField field) {
          types.add(field.getType());
        } else if (member instanceof JavaCodeUnit code) {
          types.add(code.getReturnType());
          types.addAll(code.getParameterTypes());
        }
        if (member.getModifiers().contains(JavaModifier.SYNTHETIC)) {
          return;
        }
        for (JavaType type : types) {
          for (JavaClass involved : type.getAllInvolvedRawTypes()) {
            if (hidden.test(involved)) {
              events.add(
                  SimpleConditionEvent.violated(
                      member,
                      member.getFullName() + " exposes " + involved.getName() + " publicly"));
            }
          }
        }
      }
    };
  }
}
