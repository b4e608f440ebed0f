package dev.trafficctl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.trafficctl.cli.archfixture.CommandUsingAnAdapter;
import org.junit.jupiter.api.Test;

/**
 * The CLI reaches load balancers, metrics sources and notification channels only through the
 * worker's workflows: it may run where none of them can be reached, and must not hold their
 * credentials. The module does not depend on the adapters; this keeps it so.
 */
class CliArchitectureTest {

  static ArchRule noAdapterInTheCli() {
    return noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.trafficctl.activities..", "dev.trafficctl.worker..")
        .because("the CLI changes traffic only through workflows, which the worker runs");
  }

  @Test
  void theCliNeverReachesAnAdapter() {
    noAdapterInTheCli()
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.trafficctl.cli"));
  }

  @Test
  void theRuleCatchesAViolation() {
    assertThrows(
        AssertionError.class,
        () ->
            noAdapterInTheCli()
                .check(new ClassFileImporter().importClasses(CommandUsingAnAdapter.class)));
  }
}
