package dev.trafficctl.worker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.trafficctl.activities.archfixture.AdapterReachingIntoAWorkflow;
import dev.trafficctl.workflows.archfixture.NonDeterministicWorkflowImpl;
import dev.trafficctl.workflows.archfixture.VerdictOutsideAnalysis;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.Verdict;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards workflow determinism and the module direction of DESIGN.md. Lives in the worker module
 * because it is the one that sees every class of config, workflows and activities.
 */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.trafficctl");
  }

  /**
   * Workflow code replays from history: a clock, randomness, a thread, a sleep or I/O would give a
   * different answer on replay. Workflow time and waiting come from {@code Workflow.*}.
   */
  static ArchRule workflowCodeIsDeterministic() {
    return noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.workflows..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(LocalDateTime.class, "now")
        .orShould()
        .callMethod(ZonedDateTime.class, "now")
        .orShould()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .callMethod(UUID.class, "randomUUID")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Random.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(SecureRandom.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(Executors.class, Files.class, File.class, Socket.class)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.net.http..", "okhttp3..", "java.util.concurrent.locks..")
        .because(
            "workflow code must replay identically (use Workflow.currentTimeMillis,"
                + " Workflow.sleep/await, Workflow.newRandom, and activities for I/O)");
  }

  @Test
  void workflowsAreDeterministic() {
    workflowCodeIsDeterministic().check(production);
  }

  @Test
  void theRuleCatchesAViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(NonDeterministicWorkflowImpl.class);
    assertThrows(AssertionError.class, () -> workflowCodeIsDeterministic().check(bad));
  }

  /**
   * Adapters implement the ports and read the status model (notifications carry it); they never
   * reach into workflow code: no strategy, no control model, no analysis.
   */
  static ArchRule adaptersKnowOnlyThePortsAndTheStatusModel() {
    return noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.activities..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.trafficctl.workflows..")
                .and(
                    not(
                        resideInAnyPackage(
                            "dev.trafficctl.workflows.ports..",
                            "dev.trafficctl.workflows.status.."))))
        .because("adapters implement the ports; rollout logic lives in the workflows");
  }

  /**
   * Verdicts (an analysis report, a metric's check) are reached in {@code workflows.analysis}
   * alone: every strategy judges by the same rules, and a strategy's code only acts on them.
   */
  static ArchRule onlyTheAnalysisPackageReachesVerdicts() {
    return noClasses()
        .that()
        .resideOutsideOfPackage("dev.trafficctl.workflows.analysis..")
        .should()
        .callConstructor(
            AnalysisReport.class,
            Instant.class,
            Verdict.class,
            List.class,
            long.class,
            long.class,
            String.class)
        .orShould()
        .callConstructor(
            MetricCheck.class,
            String.class,
            Double.class,
            double.class,
            boolean.class,
            String.class,
            Duration.class,
            boolean.class)
        .because("workflows.analysis holds the judges; the strategies act on their verdicts");
  }

  @Test
  void adaptersNeverReachIntoWorkflowCode() {
    adaptersKnowOnlyThePortsAndTheStatusModel().check(production);
  }

  @Test
  void theAdapterRuleCatchesAViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(AdapterReachingIntoAWorkflow.class);
    assertThrows(
        AssertionError.class, () -> adaptersKnowOnlyThePortsAndTheStatusModel().check(bad));
  }

  @Test
  void verdictsAreReachedInTheAnalysisPackageOnly() {
    onlyTheAnalysisPackageReachesVerdicts().check(production);
  }

  @Test
  void theVerdictRuleCatchesAViolation() {
    JavaClasses bad = new ClassFileImporter().importClasses(VerdictOutsideAnalysis.class);
    assertThrows(AssertionError.class, () -> onlyTheAnalysisPackageReachesVerdicts().check(bad));
  }

  @Test
  void workflowsNeverImportAnAdapter() {
    noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.workflows..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.trafficctl.activities..", "dev.trafficctl.worker..", "dev.trafficctl.cli..")
        .check(production);
  }

  @Test
  void configKnowsNothingOfTemporal() {
    noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.temporal..", "dev.trafficctl.workflows..")
        .check(production);
  }

  @Test
  void adaptersHoldNoProcessOrCliCode() {
    noClasses()
        .that()
        .resideInAPackage("dev.trafficctl.activities..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.trafficctl.worker..", "dev.trafficctl.cli..")
        // Holds vacuously while no adapter exists yet; it bites from the first one on.
        .allowEmptyShould(true)
        .check(production);
  }
}
