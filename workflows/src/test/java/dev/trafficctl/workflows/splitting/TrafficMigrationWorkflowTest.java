package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.testing.DriftFindings;
import dev.trafficctl.workflows.testing.RecordedHistories;
import dev.trafficctl.workflows.testing.RunChain;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Migrations and static splits on the time-skipping test server. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TrafficMigrationWorkflowTest {

  private SplittingHarness h;

  @BeforeEach
  void setUp() {
    h = new SplittingHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void movesRatePointsEveryIntervalUntilTheSourceServesNothing() {
    Instant started = h.now();
    TrafficMigrationWorkflow wf = h.start(SplittingHarness.migration(30, null, null));
    RolloutStatus first = h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    assertEquals(30, first.weight());
    assertEquals(60, first.nextWeight());
    assertEquals(4, first.totalSteps(), "100 points at 30 a step: 30, 60, 90, 100");
    assertTrue(first.message().contains("to go"), first.message());

    RolloutStatus end = h.result(wf).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(List.of(30, 60, 90, 100), h.router.weightsOf("v2"));
    assertEquals(List.of(70, 40, 10, 0), h.router.weightsOf("v1"));
    // A move at once, then one every 2 minutes.
    for (int i = 0; i < end.steps().size(); i++) {
      Duration at = Duration.between(started, end.steps().get(i).startedAt());
      assertTrue(
          Math.abs(at.toSeconds() - i * 120L) <= 5, "step " + (i + 1) + " at " + at + ": " + end);
    }
    assertNull(end.nextWeight());
  }

  @Test
  void pauseStopsTheClockAndResumeGoesOn() {
    TrafficMigrationWorkflow wf = h.start(SplittingHarness.migration(50, null, null));
    h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    h.sleep(Duration.ofMinutes(1));
    wf.pause(new ControlRequest("bob", "dashboards"));
    h.sleep(Duration.ofMinutes(30));
    RolloutStatus paused = wf.status();
    assertEquals(Phase.PAUSED, paused.phase());
    assertEquals(1, paused.step(), "no move while paused");
    assertEquals(List.of(50), h.router.weightsOf("v2"));
    assertTrue(
        paused.stepRemaining().compareTo(Duration.ofSeconds(50)) > 0
            && paused.stepRemaining().compareTo(Duration.ofSeconds(65)) < 0,
        "about a minute left, frozen: " + paused.stepRemaining());
    WorkflowUpdateException twice =
        assertThrows(
            WorkflowUpdateException.class, () -> wf.pause(new ControlRequest("bob", null)));
    assertTrue(rootMessage(twice).startsWith("already paused"), rootMessage(twice));

    Instant resumed = h.now();
    wf.resume(new ControlRequest("bob", null));
    RolloutStatus end = h.result(wf).status();
    assertEquals(Phase.PROMOTED, end.phase());
    // The next move comes when the interval's time left at the pause has run after the resume.
    Duration second = Duration.between(resumed, end.steps().get(1).startedAt());
    assertTrue(
        second.minus(paused.stepRemaining()).abs().compareTo(Duration.ofSeconds(2)) <= 0,
        "moved " + second + " after the resume, with " + paused.stepRemaining() + " left");
  }

  @Test
  void aMigrationPausedForHoursContinuesAsNewAndGoesOnWhereItWas() throws Exception {
    TrafficMigrationWorkflow wf =
        h.start(SplittingHarness.migration(50, SplittingHarness.errorRateAtMost1(), null));
    String firstRun = WorkflowStub.fromTyped(wf).getExecution().getRunId();
    h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    h.sleep(Duration.ofMinutes(1));
    wf.pause(new ControlRequest("bob", "over the weekend"));
    h.sleep(Duration.ofMinutes(5));
    RolloutStatus paused = wf.status();

    // Analysis goes on every 2 minutes while paused: about 430 events an hour.
    h.sleep(Duration.ofHours(15));
    RunChain.assertBounded(
        h.client(), SplittingHarness.WORKFLOW_ID, firstRun, 2, "migration paused 15h");
    TrafficMigrationWorkflow latest = h.latest();
    RolloutStatus later = latest.status();
    assertEquals(Phase.PAUSED, later.phase());
    RunChain.assertCarriedOver(paused, later);
    assertEquals(List.of(50), h.router.weightsOf("v2"), "no move while paused");

    Instant resumed = h.now();
    latest.resume(new ControlRequest("bob", null));
    RolloutStatus end = h.result(latest).status();
    assertEquals(Phase.PROMOTED, end.phase());
    assertEquals(List.of(50, 100), h.router.weightsOf("v2"));
    Duration second = Duration.between(resumed, end.steps().get(1).startedAt());
    assertTrue(
        second.minus(paused.stepRemaining()).abs().compareTo(Duration.ofSeconds(2)) <= 0,
        "moved " + second + " after the resume, with " + paused.stepRemaining() + " left");
    for (WorkflowExecutionHistory run :
        RunChain.histories(h.client(), SplittingHarness.WORKFLOW_ID, firstRun)) {
      RecordedHistories.replay(run, TrafficMigrationWorkflowImpl.class);
    }
  }

  @Test
  void abortPutsBackTheWeightsOfTheStart() {
    TrafficMigrationWorkflow wf = h.start(SplittingHarness.migration(20, null, null));
    h.await(wf, s -> s.step() == 2, Duration.ofMinutes(5));
    assertThrows(WorkflowUpdateException.class, () -> wf.abort(new ControlRequest("x", null)));
    wf.abort(new ControlRequest("carol", "latency"));
    RolloutStatus end = h.result(wf).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertTrue(end.message().startsWith("aborted by carol: \"latency\""), end.message());
    assertEquals(Map.of("v1", 100, "v2", 0), h.router.current());
  }

  @Test
  void aBreachGoesBackToTheLastGoodWeights() {
    TrafficMigrationWorkflow wf =
        h.start(SplittingHarness.migration(20, SplittingHarness.errorRateAtMost1(), null));
    h.await(wf, s -> s.step() == 2, Duration.ofMinutes(5));
    h.metrics.failing(CanaryDocs.CANDIDATE, 50);
    RolloutStatus end = h.result(wf).status();
    assertEquals(Phase.ROLLED_BACK, end.phase());
    assertTrue(end.message().contains("error_rate"), end.message());
    assertTrue(end.message().contains("back to the last good weights"), end.message());
    assertEquals(Map.of("v1", 80, "v2", 20), h.router.current(), "before the move judged bad");
  }

  @Test
  void aBreachCanGoBackToTheSource() {
    TrafficMigrationWorkflow wf =
        h.start(
            SplittingHarness.migration(20, SplittingHarness.errorRateAtMost1(), OnBreach.SOURCE));
    h.await(wf, s -> s.step() == 2, Duration.ofMinutes(5));
    h.metrics.failing(CanaryDocs.CANDIDATE, 50);
    assertEquals(Phase.ROLLED_BACK, h.result(wf).status().phase());
    assertEquals(Map.of("v1", 100, "v2", 0), h.router.current());
  }

  /**
   * Someone sets the weights by hand between moves: the analysis before the next move finds them,
   * records it, and puts the migration's weights back before moving on from them.
   */
  @Test
  void weightsSetByHandAreFoundBeforeTheNextMoveAndPutBack() {
    TrafficMigrationWorkflow wf = weightsSetByHandAfterTheFirstMove(h, DriftAction.RESTORE);

    RolloutStatus end = h.result(wf).status();

    assertEquals(Phase.PROMOTED, end.phase(), end.message());
    String drift = DriftFindings.of(end).get(0);
    // The versions come in the order the router listed them first.
    assertTrue(
        drift.matches(
            "the router holds weights \\{(v1=50, v2=50|v2=50, v1=50)\\},"
                + " not the rollout's \\{(v1=80, v2=20|v2=20, v1=80)\\}"),
        drift);
    assertEquals(List.of(20, 20, 40, 60, 80, 100), h.router.weightsOf("v2"), "put back, then on");
  }

  /**
   * With {@code rollback.on_drift: pause} it pauses instead, and moves nothing until a person
   * resumes it.
   */
  @Test
  void weightsSetByHandPauseTheMigrationWhenTheCatalogSaysSo() {
    TrafficMigrationWorkflow wf = weightsSetByHandAfterTheFirstMove(h, DriftAction.PAUSE);

    RolloutStatus paused = h.await(wf, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(5));
    h.sleep(Duration.ofMinutes(30)); // analyses go on while paused, and find the same weights

    assertTrue(paused.message().contains("the router holds weights"), paused.message());
    assertEquals(Map.of("v1", 50, "v2", 50), h.router.current(), "left as found");
    assertEquals(1, wf.status().step(), "no move while paused");
    assertEquals(1, DriftFindings.of(wf.status()).size(), "the same finding is recorded once");

    // The resume is the person's decision: the migration's weights go back, then it moves on.
    h.latest().resume(new ControlRequest("bob", "weights were set by mistake"));
    assertEquals(Phase.PROMOTED, h.result(h.latest()).status().phase());
    assertEquals(List.of(20, 20, 40, 60, 80, 100), h.router.weightsOf("v2"), "put back, then on");
  }

  /**
   * A migration of 20 points a move, analysed, whose catalog says {@code rollback.on_drift:
   * onDrift}; after its first move someone sets v1 and v2 to 50% each by hand.
   */
  static TrafficMigrationWorkflow weightsSetByHandAfterTheFirstMove(
      SplittingHarness h, DriftAction onDrift) {
    TrafficMigrationWorkflow wf =
        h.start(SplittingHarness.migration(20, SplittingHarness.errorRateAtMost1(), null, onDrift));
    h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    h.router.reset(Map.of("v1", 50, "v2", 50));
    return wf;
  }

  @Test
  void tooFewRequestsHoldTheWeightsInsteadOfMoving() {
    h.metrics.tooFewRequests(CanaryDocs.CANDIDATE, 5);
    TrafficMigrationWorkflow wf =
        h.start(SplittingHarness.migration(50, SplittingHarness.errorRateAtMost1(), null));
    h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    h.sleep(Duration.ofMinutes(10));
    RolloutStatus holding = wf.status();
    assertEquals(1, holding.step());
    assertTrue(holding.message().startsWith("holding at 50%"), holding.message());
    h.metrics.healthy(CanaryDocs.CANDIDATE);
    assertEquals(Phase.PROMOTED, h.result(wf).status().phase());
  }

  @Test
  void aSourceThatServesNothingIsRefused() {
    h.router.reset(Map.of("v1", 0, "v2", 100));
    TrafficMigrationWorkflow wf = h.start(SplittingHarness.migration(10, null, null));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(wf));
    assertTrue(rootMessage(e).startsWith("v1 serves nothing"), rootMessage(e));
  }

  @Test
  void weightsInForceThatAreNotWeightsAreRefusedBeforeAnyMove() {
    Map<String, Integer> edited = new java.util.LinkedHashMap<>();
    edited.put("v1", 80);
    edited.put("v2", 10);
    h.router.reset(edited);
    TrafficMigrationWorkflow wf = h.start(SplittingHarness.migration(10, null, null));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> h.result(wf));
    assertTrue(
        rootMessage(e)
            .startsWith(
                "the weights in force: weights add up to 90, they must add up to 100 (v1=80,"
                    + " v2=10)"),
        rootMessage(e));
    assertEquals(List.of(), h.router.changes());
  }

  @Test
  void aStaticSplitPutsTheWeightsInForceAndReportsThem() {
    SplitResult result =
        h.split()
            .run(
                new SplitInput(
                    "api",
                    "production",
                    CanaryDocs.target(),
                    Map.of("v1", 80, "v2", 20),
                    "alice",
                    "capacity test"));
    assertEquals(Map.of("v1", 80, "v2", 20), result.weights());
    assertEquals(Phase.PROMOTED, result.status().phase());
    assertEquals(Map.of("v1", 80, "v2", 20), h.router.current());
    assertEquals("split by alice: capacity test", h.router.lastChange().reason());
  }

  @Test
  void aStaticSplitOfWeightsNotAddingUpTo100IsRefused() {
    WorkflowFailedException e =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                h.split()
                    .run(
                        new SplitInput(
                            "api",
                            "production",
                            CanaryDocs.target(),
                            Map.of("v1", 80, "v2", 30),
                            "alice",
                            null)));
    assertTrue(rootMessage(e).contains("weights"), rootMessage(e));
    assertEquals(0, h.router.changes().size());
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof io.temporal.failure.ApplicationFailure a
        ? a.getOriginalMessage()
        : t.getMessage();
  }
}
