package dev.trafficctl.workflows.canary;

import static dev.trafficctl.workflows.canary.testing.CanaryDocs.CANDIDATE;
import static dev.trafficctl.workflows.canary.testing.CanaryDocs.STABLE;
import static dev.trafficctl.workflows.canary.testing.CanaryDocs.fast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.config.canary.CanaryStep;
import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.RollbackSettings;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import dev.trafficctl.workflows.testing.DriftFindings;
import dev.trafficctl.workflows.testing.RecordedHistories;
import dev.trafficctl.workflows.testing.RunChain;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * The canary workflow on Temporal's in-process test server with time skipping: every wait is in
 * workflow time, so a 30-minute rollout takes well under a second. Most tests use {@link
 * CanaryDocs#fast()}: 10% and 50% for 5m each, then 100%, analysed every minute over 1m windows.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CanaryWorkflowTest {

  private static final Duration SLACK = Duration.ofSeconds(5);

  private CanaryHarness h;

  @BeforeEach
  void setUp() {
    h = new CanaryHarness();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  // ---- the happy path -------------------------------------------------------------------------

  @Test
  void promotesThroughTheSpecExampleStepByStep() {
    CanaryWorkflow canary = h.start(CanaryDocs.input(CanaryDocs.SPEC_EXAMPLE));

    CanaryResult result = result(canary);

    assertTrue(result.promoted());
    RolloutStatus s = result.status();
    assertEquals(Phase.PROMOTED, s.phase());
    assertEquals("v2 serves 100% and is the stable version", s.message());
    assertEquals(List.of(5, 10, 25, 50, 100), h.router.weightsOf(CANDIDATE));
    assertEquals(List.of(95, 90, 75, 50, 0), h.router.weightsOf(STABLE));
    assertEquals(Map.of(STABLE, 0, CANDIDATE, 100), h.router.current());
    assertEquals(STABLE, s.stableVersion());
    assertEquals(5, s.step());
    assertEquals(5, s.totalSteps());
    assertEquals(100, s.weight());
    assertNull(s.nextWeight());

    assertEquals(
        List.of("1 5% passed", "2 10% passed", "3 25% passed", "4 50% passed", "5 100% promoted"),
        s.steps().stream().map(r -> r.number() + " " + r.weight() + "% " + r.outcome()).toList());
    List<Duration> holds =
        List.of(
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(10),
            Duration.ZERO);
    Instant expectedStart = h.started();
    for (int i = 0; i < holds.size(); i++) {
      StepRecord step = s.steps().get(i);
      assertAbout(holds.get(i), step.held(), "step " + step.number() + " held");
      assertAbout(
          Duration.ZERO,
          Duration.between(expectedStart, step.startedAt()),
          "step " + step.number() + " start");
      expectedStart = expectedStart.plus(holds.get(i));
    }
    assertAbout(Duration.ofMinutes(30), Duration.between(h.started(), s.updatedAt()), "rollout");
    assertEquals(Verdict.PASS, s.lastAnalysis().verdict());

    // The example notifies started, promoted, aborted and completed only.
    assertEquals(
        List.of(NotificationEvent.STARTED, NotificationEvent.PROMOTED, NotificationEvent.COMPLETED),
        h.notifier.events());
  }

  // ---- analysis: breach, inconclusive, errors -------------------------------------------------

  @Test
  void aBreachRollsBackAndSaysWhichMetricWithValueThresholdAndWindow() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.await(canary, s -> s.steps().size() == 2, Duration.ofMinutes(10));

    h.metrics.failing(CANDIDATE, 30); // 97% success, 3% errors
    CanaryResult result = result(canary);

    RolloutStatus s = result.status();
    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(
        "analysis failed: success_rate 97% < 99% over 1m; error_rate 3% > 1% over 1m;"
            + " v1 serves 100%",
        s.message());
    assertEquals(List.of(10, 50, 0), h.router.weightsOf(CANDIDATE));
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.lastChange().weights().percent());
    assertEquals(0, s.weight());
    StepRecord failed = s.steps().get(1);
    assertEquals("failed", failed.outcome());
    assertTrue(failed.note().contains("success_rate 97% < 99% over 1m"), failed.note());
    assertEquals(Verdict.FAIL, s.lastAnalysis().verdict());
    assertEquals(
        List.of(
            NotificationEvent.STARTED,
            NotificationEvent.STEP_ADVANCED,
            NotificationEvent.ANALYSIS_FAILED,
            NotificationEvent.ROLLED_BACK),
        h.notifier.events());
    assertTrue(
        WorkflowStub.fromTyped(canary)
            .query("__temporal_workflow_metadata", WorkflowMetadata.class)
            .getCurrentDetails()
            .startsWith(
                "**RolledBack** at 50% on v2 (step 2/3): analysis failed: success_rate 97%"));
  }

  @Test
  void aBreachWithoutAutoRollbackPausesWithTheReason() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().with("auto_rollback", "false").input());

    h.metrics.failing(CANDIDATE, 30);
    RolloutStatus s = h.await(canary, st -> st.phase() == Phase.PAUSED, Duration.ofMinutes(5));

    String reason =
        "paused by trafficctl: \"analysis failed: success_rate 97% < 99% over 1m;"
            + " error_rate 3% > 1% over 1m\"";
    assertEquals(reason, s.message());
    assertEquals(10, s.weight());
    assertEquals("paused", s.steps().get(0).outcome());
    // The Web UI's current details say the same, and what is in force.
    WorkflowMetadata metadata =
        WorkflowStub.fromTyped(canary)
            .query("__temporal_workflow_metadata", WorkflowMetadata.class);
    assertEquals(
        "**Paused**: " + reason + "\n\ncanary of api in production, v1 -> v2, weight 10%, step 1/3",
        metadata.getCurrentDetails());

    // Analysis goes on while paused; the breach persists but the message does not pile up and
    // nothing moves without a person.
    h.sleep(Duration.ofMinutes(30));
    RolloutStatus later = canary.status();
    assertEquals(Phase.PAUSED, later.phase());
    assertTrue(later.message().startsWith(reason), later.message());
    assertTrue(later.message().length() < 2 * reason.length(), later.message());
    assertEquals(List.of(10), h.router.weightsOf(CANDIDATE));
  }

  @Test
  void inconclusiveAnalysesPauseAtTheLimitAndAPromoteCarriesOn() {
    h.metrics.tooFewRequests(CANDIDATE, 10);
    CanaryWorkflow canary =
        h.startAndEnterFirstStep(fast().analysis("inconclusive_limit", "3").input());

    RolloutStatus paused = h.await(canary, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(10));
    assertEquals(
        "paused by trafficctl: \"3 inconclusive analyses in a row: saw 10 requests, needs 50\"",
        paused.message());
    assertEquals(Verdict.INCONCLUSIVE, paused.lastAnalysis().verdict());
    assertEquals(10, paused.lastAnalysis().requests());
    assertEquals(50, paused.lastAnalysis().minimumRequests());
    assertEquals(1, paused.step());
    // Three analyses, one a minute, never a pass: paused 3m into the step.
    assertAbout(Duration.ofMinutes(3), Duration.between(h.started(), paused.phaseSince()), "pause");

    h.metrics.healthy(CANDIDATE);
    RolloutStatus promoted =
        canary.promote(new PromoteRequest(false, "bob", "low traffic hour; dashboards fine"));
    assertEquals(Phase.PROGRESSING, promoted.phase());

    CanaryResult result = result(canary);
    assertTrue(result.promoted());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    StepRecord first = result.status().steps().get(0);
    assertEquals("promoted", first.outcome());
    assertEquals("promoted by bob", first.note());
    assertEquals("passed", result.status().steps().get(1).outcome());
  }

  @Test
  void inconclusiveAnalysesRollBackWhenTheDocumentSaysSo() {
    h.metrics.tooFewRequests(CANDIDATE, 10);
    CanaryWorkflow canary =
        h.start(
            fast()
                .analysis("inconclusive_limit", "2")
                .analysis("on_inconclusive", "rollback")
                .input());

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(
        "2 inconclusive analyses in a row: saw 10 requests, needs 50; v1 serves 100%", s.message());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
    assertAbout(Duration.ofMinutes(2), Duration.between(h.started(), s.updatedAt()), "rollback");
  }

  @Test
  void unreadableMetricsActAtTheConsecutiveErrorLimit() {
    h.metrics.unreachable(CANDIDATE);
    CanaryWorkflow canary = h.start(fast().analysis("consecutive_error_limit", "2").input());

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(
        "2 analyses in a row could not read metrics: metrics unavailable:"
            + " prometheus unreachable (scripted); v1 serves 100%",
        s.message());
    assertEquals(Verdict.ERROR, s.lastAnalysis().verdict());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
    // Each analysis tried the metrics activity three times (its retry policy) before giving up.
    assertEquals(6, h.metrics.queries().size());
  }

  @Test
  void unreadableMetricsPauseWithoutAutoRollback() {
    h.metrics.unreachable(CANDIDATE);
    CanaryWorkflow canary =
        h.start(
            fast().with("auto_rollback", "false").analysis("consecutive_error_limit", "2").input());

    RolloutStatus s = h.await(canary, st -> st.phase() == Phase.PAUSED, Duration.ofMinutes(10));

    assertTrue(
        s.message().startsWith("paused by trafficctl: \"2 analyses in a row could not read"),
        s.message());
    assertEquals(List.of(10), h.router.weightsOf(CANDIDATE));
  }

  // ---- promotion ------------------------------------------------------------------------------

  @Test
  void aPromotionGateWaitingForHoursContinuesAsNewAndStillWaitsForPromote() {
    CanaryWorkflow canary = h.start(fast().with("auto_promote", "false").input());
    String firstRun = CanaryHarness.untyped(canary).getExecution().getRunId();
    RolloutStatus gate = h.await(canary, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(15));

    h.sleep(Duration.ofHours(6));
    CanaryWorkflow latest = h.latest();
    RunChain.assertBounded(
        h.client(), CanaryHarness.WORKFLOW_ID, firstRun, 2, "canary at its promotion gate 6h");
    RolloutStatus later = latest.status();
    RunChain.assertCarriedOver(gate, later);
    assertEquals(
        "waiting for promote (auto_promote: false): use promote",
        rejection(() -> latest.resume(new ControlRequest("bob", null))));

    latest.promote(new PromoteRequest(false, "bob", "looks good"));
    CanaryResult result = h.result(latest);
    assertTrue(result.promoted());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertEquals(
        List.of("passed", "passed", "promoted"),
        result.status().steps().stream().map(StepRecord::outcome).toList());
  }

  @Test
  void withoutAutoPromoteItWaitsBefore100UntilPromoted() {
    CanaryWorkflow canary = h.start(fast().with("auto_promote", "false").input());

    RolloutStatus gate = h.await(canary, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(15));
    assertEquals("waiting for promote (auto_promote: false)", gate.message());
    assertEquals(2, gate.step());
    assertEquals(50, gate.weight());
    assertEquals(100, gate.nextWeight());

    // It waits as long as it takes; resume is not the way through.
    h.sleep(Duration.ofHours(1));
    assertEquals(Phase.PAUSED, canary.status().phase());
    assertEquals(List.of(10, 50), h.router.weightsOf(CANDIDATE));
    assertEquals(
        "waiting for promote (auto_promote: false): use promote",
        rejection(() -> canary.resume(new ControlRequest("bob", null))));

    canary.promote(new PromoteRequest(false, "bob", "looks good"));
    CanaryResult result = result(canary);

    assertTrue(result.promoted());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertEquals(
        List.of("passed", "passed", "promoted"),
        result.status().steps().stream().map(StepRecord::outcome).toList());
  }

  @Test
  void promoteMovesAPausedStepOnAtOnce() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    sleepIntoStep(canary, Duration.ofSeconds(90));
    canary.pause(new ControlRequest("alice", "check dashboards"));

    RolloutStatus promoted = canary.promote(new PromoteRequest(false, "bob", "dashboards fine"));
    RolloutStatus next = h.await(canary, s -> s.steps().size() == 2, Duration.ofSeconds(30));

    assertAbout(
        Duration.ZERO,
        Duration.between(promoted.updatedAt(), next.steps().get(1).startedAt()),
        "step 2 start after promote");
    StepRecord first = next.steps().get(0);
    assertEquals("promoted", first.outcome());
    assertEquals("promoted by bob", first.note());
    assertAbout(Duration.ofSeconds(90), first.held(), "step 1 held");
    assertEquals(List.of(10, 50), h.router.weightsOf(CANDIDATE));
    assertEquals(
        List.of("pause alice check dashboards", "promote bob dashboards fine"),
        next.actions().stream().map(a -> a.action() + " " + a.by() + " " + a.reason()).toList());
  }

  @Test
  void promoteFullGoesStraightTo100() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    sleepIntoStep(canary, Duration.ofSeconds(90));

    canary.promote(new PromoteRequest(true, "bob", "hotfix"));
    RolloutStatus s = result(canary).status();

    assertEquals(Phase.PROMOTED, s.phase());
    assertEquals(List.of(10, 100), h.router.weightsOf(CANDIDATE));
    assertEquals(3, s.step());
    assertEquals(3, s.totalSteps());
    assertEquals(
        List.of("1 10% promoted", "3 100% promoted"),
        s.steps().stream().map(r -> r.number() + " " + r.weight() + "% " + r.outcome()).toList());
    assertEquals("promoted to 100% by bob", s.steps().get(0).note());
    assertEquals(
        List.of("promote --full"), s.actions().stream().map(ActionRecord::action).toList());
  }

  // ---- pause and resume -----------------------------------------------------------------------

  @Test
  void theStepClockStopsWhilePaused() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    sleepIntoStep(canary, Duration.ofSeconds(90));

    RolloutStatus paused = canary.pause(new ControlRequest("alice", "check dashboards"));
    assertEquals(Phase.PAUSED, paused.phase());
    assertEquals("paused by alice: \"check dashboards\"", paused.message());
    assertAbout(Duration.ofSeconds(210), paused.stepRemaining(), "remaining at pause");
    assertNull(paused.stepEndsAt());
    assertEquals("paused", paused.steps().get(0).outcome());
    assertEquals("by alice: \"check dashboards\"", paused.steps().get(0).note());

    h.sleep(Duration.ofMinutes(30));
    RolloutStatus later = canary.status();
    assertEquals(Phase.PAUSED, later.phase());
    assertEquals(paused.stepRemaining(), later.stepRemaining(), "frozen while paused");
    assertEquals(1, later.step());
    assertEquals(List.of(10), h.router.weightsOf(CANDIDATE));

    RolloutStatus resumed = canary.resume(new ControlRequest("alice", "dashboards fine"));
    Instant resumedAt = resumed.updatedAt();
    assertEquals(Phase.PROGRESSING, resumed.phase());
    assertNotNull(resumed.stepEndsAt());
    assertAbout(
        Duration.ofSeconds(210), Duration.between(resumedAt, resumed.stepEndsAt()), "ends at");

    // Not immediately: the step still has the 3m30s it had left when paused.
    h.sleep(Duration.ofMinutes(3));
    assertEquals(1, canary.status().step());
    RolloutStatus next = h.await(canary, s -> s.steps().size() == 2, Duration.ofMinutes(2));
    StepRecord first = next.steps().get(0);
    assertAbout(
        Duration.ofSeconds(210),
        Duration.between(resumedAt, next.steps().get(1).startedAt()),
        "step 2 start after resume");
    assertEquals("passed", first.outcome());
    assertAbout(Duration.ofMinutes(5), first.held(), "step 1 held (pause excluded)");
  }

  @Test
  void aCanaryPausedForHoursContinuesAsNewWithBoundedHistoriesAndCarriesOnWhereItWas()
      throws Exception {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    String firstRun = CanaryHarness.untyped(canary).getExecution().getRunId();
    sleepIntoStep(canary, Duration.ofSeconds(90));
    RolloutStatus paused = canary.pause(new ControlRequest("alice", "over the weekend"));

    // Analysis goes on every minute while paused: about 8 events each (its reads are local
    // activities, a marker each), 480 an hour.
    h.sleep(Duration.ofHours(12));
    CanaryWorkflow latest = h.latest();
    RolloutStatus later = latest.status();
    RunChain.assertBounded(h.client(), CanaryHarness.WORKFLOW_ID, firstRun, 3, "canary paused 12h");
    // The continued run shows what the first did, with the step's clock still stopped.
    assertEquals(Phase.PAUSED, later.phase());
    RunChain.assertCarriedOver(paused, later);
    assertEquals(1, later.step());
    assertEquals(List.of(10), h.router.weightsOf(CANDIDATE), "no router change while paused");
    assertNotNull(later.lastAnalysis());
    assertTrue(
        later.lastAnalysis().at().isAfter(h.now().minus(Duration.ofMinutes(2))),
        "analysis went on: " + later.lastAnalysis().at());

    // Resumed, the step serves the 3m30s it had left, then the canary goes on as usual.
    RolloutStatus resumed = latest.resume(new ControlRequest("alice", "back"));
    RolloutStatus next = h.await(latest, s -> s.steps().size() == 2, Duration.ofMinutes(5));
    assertAbout(
        Duration.ofSeconds(210),
        Duration.between(resumed.updatedAt(), next.steps().get(1).startedAt()),
        "step 2 start after resume");
    CanaryResult result = h.result(latest);
    RolloutStatus s = result.status();
    assertEquals(Phase.PROMOTED, s.phase(), s.message());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertAbout(Duration.ofMinutes(5), s.steps().get(0).held(), "step 1 held (pause excluded)");
    assertEquals(
        List.of("pause alice", "resume alice"),
        s.actions().stream().map(a -> a.action() + " " + a.by()).toList());
    // Each event once, in order, however many runs: a continued run announces nothing anew and
    // numbers its events on from the previous run's.
    assertEquals(
        List.of(
            NotificationEvent.STARTED,
            NotificationEvent.PAUSED,
            NotificationEvent.RESUMED,
            NotificationEvent.STEP_ADVANCED,
            NotificationEvent.PROMOTED,
            NotificationEvent.COMPLETED),
        h.notifier.events());

    // Every run, the continued ones included, replays against today's code.
    for (WorkflowExecutionHistory run :
        RunChain.histories(h.client(), CanaryHarness.WORKFLOW_ID, firstRun)) {
      RecordedHistories.replay(run, CanaryWorkflowImpl.class);
    }
  }

  // ---- stopping -------------------------------------------------------------------------------

  @Test
  void abortNeedsAReasonAndReturnsTrafficToStable() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.await(canary, s -> s.steps().size() == 2, Duration.ofMinutes(10));
    sleepIntoStep(canary, Duration.ofSeconds(90));

    assertEquals(
        "abort needs a reason (--reason)",
        rejection(() -> canary.abort(new ControlRequest("alice", null))));
    assertEquals(
        "abort needs a reason (--reason)",
        rejection(() -> canary.abort(new ControlRequest("alice", "  "))));

    RolloutStatus accepted = canary.abort(new ControlRequest("alice", "error budget burning"));
    assertEquals("aborting: error budget burning", accepted.message());
    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ABORTED, s.phase());
    assertEquals("aborted by alice: \"error budget burning\"; v1 serves 100%", s.message());
    assertEquals(List.of(10, 50, 0), h.router.weightsOf(CANDIDATE));
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current());
    assertEquals(1, s.actions().size(), "rejected requests are not recorded");
    ActionRecord abort = s.actions().get(0);
    assertEquals("abort", abort.action());
    assertEquals("alice", abort.by());
    assertEquals("error budget burning", abort.reason());
    assertEquals("aborted", s.steps().get(1).outcome());
    assertEquals("by alice: \"error budget burning\"", s.steps().get(1).note());
    assertTrue(h.notifier.events().contains(NotificationEvent.ABORTED));
    // The Web UI's current details lead with how it ended and where its traffic stood then.
    assertEquals(
        "**Aborted** at 50% on v2 (step 2/3): aborted by alice: \"error budget burning\";"
            + " v1 serves 100%\n\ncanary of api in production, v1 -> v2, weight 0%, step 2/3",
        WorkflowStub.fromTyped(canary)
            .query("__temporal_workflow_metadata", WorkflowMetadata.class)
            .getCurrentDetails());
  }

  @Test
  void cancellationRollsBackAndEndsCancelled() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    sleepIntoStep(canary, Duration.ofSeconds(90));
    WorkflowStub stub = CanaryHarness.untyped(canary);

    stub.cancel();

    h.awaitClosed(canary, Duration.ofMinutes(5));
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(CanaryResult.class));
    assertInstanceOf(CanceledFailure.class, e.getCause());
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.lastChange().weights().percent());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
    WorkflowExecutionDescription d = stub.describe();
    assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, d.getStatus());
    RolloutStatus memo = memoStatus(d);
    assertEquals(Phase.ABORTED, memo.phase());
    assertEquals("cancelled: traffic returned to v1; v1 serves 100%", memo.message());
  }

  /**
   * A change the load balancer takes long to apply is still in flight when the rollout is cancelled
   * and rolls back; when it lands at last, after the rollback, the router refuses it as older than
   * the rollback's, and the stable version keeps all traffic.
   */
  @Test
  void cancellationDuringARouterChangeStillEndsCancelledOnStable() throws Exception {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    FakeRouter.Hold step2 = h.router.holdNextChange();
    h.sleep(Duration.ofMinutes(5));
    step2.awaitArrival();
    WorkflowStub stub = CanaryHarness.untyped(canary);
    try {
      stub.cancel();
      // The held change keeps the test server from skipping time: poll in small steps.
      h.awaitClosed(canary, Duration.ofMinutes(1), Duration.ofMillis(100));
      WorkflowFailedException e =
          assertThrows(WorkflowFailedException.class, () -> stub.getResult(CanaryResult.class));
      assertInstanceOf(CanceledFailure.class, e.getCause());
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED, stub.describe().getStatus());
      assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current(), "rolled back");
    } finally {
      step2.release();
    }
    RuntimeException refused = step2.awaitOutcome().orElseThrow();
    assertEquals(FailureTypes.STALE_CHANGE, ((ApplicationFailure) refused).getType());
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current(), "the late change lands");
    assertEquals(Phase.ABORTED, memoStatus(stub.describe()).phase());
  }

  @Test
  void aStepThatMakesNoProgressAbortsAtTheProgressDeadline() {
    // Too few requests forever, and an inconclusive limit too high to ever pause: without a
    // deadline this step would hold the candidate at 10% indefinitely.
    h.metrics.tooFewRequests(CANDIDATE, 10);
    CanaryWorkflow canary =
        h.start(
            fast()
                .steps("10:2m", "100")
                .with("progress_deadline", "\"5m\"")
                .analysis("interval", "\"30s\"")
                .analysis("inconclusive_limit", "100")
                .input());

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ABORTED, s.phase());
    assertEquals(
        "aborted by progress-deadline: \"no progress in step 1 for 5m past its hold\";"
            + " v1 serves 100%",
        s.message());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
    assertAbout(Duration.ofMinutes(7), Duration.between(h.started(), s.updatedAt()), "deadline");
  }

  // ---- the router -----------------------------------------------------------------------------

  @Test
  void aRolloutOutnumbersTheChangeInForceThoughItsClockIsBehind() {
    // The weights in force bear a number from a clock a year ahead of this rollout's (a server
    // whose clock has since stepped back): numbering from its own clock alone, every change of
    // this rollout would be refused as older.
    long ahead = Instant.now().plus(Duration.ofDays(365)).toEpochMilli();
    h.router.setBy("production.api-before", ahead, Map.of(STABLE, 100));

    CanaryResult result = result(h.start(fast().input()));

    assertTrue(result.promoted(), result.status().message());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
    assertTrue(h.router.lastChange().change() > ahead, "numbered " + h.router.lastChange());
  }

  /**
   * Someone sets the weights by hand mid-step: the next analysis finds the router's weights are not
   * the rollout's, records it, and puts the rollout's weights back (the weights layer only).
   */
  @Test
  void weightsSetByHandAreFoundAtTheNextAnalysisAndPutBack() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.router.reset(Map.of(STABLE, 50, CANDIDATE, 50));

    RolloutStatus found =
        h.await(canary, s -> !DriftFindings.of(s).isEmpty(), Duration.ofMinutes(2));

    assertEquals(
        "the router holds weights {v1=50, v2=50}, not the rollout's {v1=90, v2=10}",
        DriftFindings.of(found).get(0));
    assertEquals(Map.of(STABLE, 90, CANDIDATE, 10), h.router.current());
    assertTrue(result(canary).promoted());
  }

  /**
   * With {@code rollback.on_drift: pause} the rollout pauses for a person instead, leaving the
   * weights as found until they resume.
   */
  @Test
  void weightsSetByHandPauseTheRolloutWhenTheCatalogSaysSo() {
    CanaryInput input = fast().input();
    EnvironmentEntry pausing =
        input.target().withRollback(new RollbackSettings(null, DriftAction.PAUSE));
    CanaryWorkflow canary =
        h.startAndEnterFirstStep(
            new CanaryInput(
                input.service(),
                input.env(),
                input.version(),
                input.canary(),
                pausing,
                input.requestedBy()));
    h.router.reset(Map.of(STABLE, 50, CANDIDATE, 50));

    RolloutStatus paused = h.await(canary, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(2));
    h.sleep(Duration.ofMinutes(10)); // analyses go on while paused, and find the same weights

    assertTrue(
        paused.message().contains("the router holds weights {v1=50, v2=50}"), paused.message());
    assertEquals(Map.of(STABLE, 50, CANDIDATE, 50), h.router.current(), "left as found");
    assertEquals(1, DriftFindings.of(canary.status()).size(), "the same finding is recorded once");

    // The resume is the person's decision: the next analysis puts the rollout's weights back.
    canary.resume(new ControlRequest("bob", "weights were set by mistake"));
    assertTrue(result(canary).promoted());
    assertEquals(10, h.router.weightsOf(CANDIDATE).get(1), "put back before the next step");
  }

  @Test
  void aRouterThatFailsForAWhileIsRetried() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.router.failNext(3);

    CanaryResult result = result(canary);

    assertTrue(result.promoted());
    assertEquals(List.of(10, 50, 100), h.router.weightsOf(CANDIDATE));
  }

  /**
   * The load balancer is unreachable for longer than a router change retries: the step's change
   * fails, and so do the rollback's first tries. The rollout does not end then, leaving whatever
   * the load balancer loads when it is back; it keeps trying, says since when in its status, and
   * ends rolled back once the router confirms.
   */
  @Test
  void aRouterUnreachableForLongerThanAChangeRetriesStillEndsRolledBack() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.router.failNext(35); // the step's 5 minutes of tries, the rollback's first, and 6 more

    RolloutStatus during =
        h.await(
            canary,
            s -> s.message().startsWith("rolling back: the router is unreachable since"),
            Duration.ofMinutes(30),
            Duration.ofSeconds(30));
    assertEquals(Phase.ROLLING_BACK, during.phase());
    assertTrue(during.message().endsWith("load balancer unreachable (scripted)"), during.message());
    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase(), s.message());
    assertTrue(s.message().startsWith("step 2 failed: "), s.message());
    assertTrue(s.message().endsWith("; v1 serves 100%"), s.message());
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
  }

  /**
   * The load balancer stays unreachable past the catalog's {@code rollback.handover_after} (10
   * minutes by default): the rollout hands its rollback to a reconciler and ends, saying so; the
   * reconciler puts the stable version back at 100% once the router answers.
   */
  @Test
  void aRollbackTheRouterCannotTakeForLongIsHandedToAReconcilerThatPutsItInForce()
      throws Exception {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.router.failNext(90); // about 30 minutes of tries

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase(), s.message());
    assertTrue(
        s.message()
            .matches(
                "step 2 failed: .*; the router is unreachable since \\S+: reconcile:production.api"
                    + " puts v1 back at 100% once it answers"),
        s.message());
    assertEquals(Map.of(STABLE, 90, CANDIDATE, 10), h.router.current(), "not yet rolled back");

    WorkflowStub reconciler = h.client().newUntypedWorkflowStub("reconcile:production.api");
    String done = reconciler.getResult(String.class);

    assertTrue(
        done.startsWith("put change ")
            && done.contains(" of production.api (rollback: step 2 failed: ")
            && done.endsWith(") in force"),
        done);
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current());
  }

  /**
   * The router is still out when the service's next rollout has to roll back too: the reconciler of
   * the first still runs, so the second keeps trying itself, and ends rolled back once the router
   * answers.
   */
  @Test
  void aSecondRollbackWhileTheFirstIsReconciledKeepsTryingItself() {
    CanaryWorkflow first = h.startAndEnterFirstStep(fast().input());
    h.router.failNext(100_000);
    assertTrue(
        result(first).status().message().contains("reconcile:production.api puts v1 back"),
        "handed over");

    CanaryWorkflow second = h.start(fast().input());
    h.sleep(Duration.ofMinutes(30)); // past the second's handover window
    h.router.failNext(0);
    RolloutStatus s = result(second).status();

    assertEquals(Phase.ROLLED_BACK, s.phase(), s.message());
    assertTrue(s.message().endsWith("; v1 serves 100%"), s.message());
    assertEquals(Map.of(STABLE, 100, CANDIDATE, 0), h.router.current());
  }

  @Test
  void aRouterChangeThatFailsForGoodRollsBack() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    h.router.failNextNonRetryably(1);

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(
        "step 2 failed: cannot set weights {v1=50, v2=50}: upstream pool missing (scripted);"
            + " v1 serves 100%",
        s.message());
    assertEquals(List.of(10, 0), h.router.weightsOf(CANDIDATE));
  }

  @Test
  void aFirstChangeTheRouterCannotApplyEndsRolledBackOnTheStableVersion() {
    // The first change fails for good and so does the rollback's; the router still serves what
    // it had, v1 at 100%, so the rollout is safe and says why.
    h.router.refuseNextChanges(2);
    CanaryWorkflow canary = h.start(fast().input());

    RolloutStatus s = result(canary).status();

    assertEquals(Phase.ROLLED_BACK, s.phase());
    assertEquals(0, s.weight());
    assertEquals(
        "step 1 failed: cannot apply weights {v1=90, v2=10}: bind() failed (scripted);"
            + " v1 serves 100% (the router kept its last known good: cannot apply weights"
            + " {v1=100, v2=0}: bind() failed (scripted))",
        s.message());
    assertEquals(List.of(), h.router.weightsOf(CANDIDATE));
  }

  @Test
  void aRollbackTheRouterCannotApplyWhileTheCandidateServesFailsTheWorkflow() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    // The next change and the rollback both fail: the candidate still has 10%, so the rollout
    // cannot call itself rolled back.
    h.router.refuseNextChanges(2);

    WorkflowStub stub = h.awaitClosed(canary, Duration.ofHours(1));

    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, stub.describe().getStatus());
    assertEquals(Phase.ROLLING_BACK, canary.status().phase());
    assertEquals(List.of(10), h.router.weightsOf(CANDIDATE));
  }

  // ---- rejected updates -----------------------------------------------------------------------

  @Test
  void updatesTheStateDoesNotAllowAreRejectedWithTheReason() {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    ControlRequest bob = new ControlRequest("bob", null);

    assertEquals("not paused (Progressing)", rejection(() -> canary.resume(bob)));
    assertEquals(
        "not paused (Progressing): promote moves a paused canary to its next step;"
            + " use --full to go to 100% now",
        rejection(() -> canary.promote(new PromoteRequest(false, "bob", null))));

    canary.pause(new ControlRequest("alice", "check dashboards"));
    assertEquals(
        "already paused: paused by alice: \"check dashboards\"",
        rejection(() -> canary.pause(bob)));

    // While the rollback is under way (the router is retrying), nothing else is taken. Time is
    // held still until the result is awaited, so the retries wait for us.
    h.router.failNext(5);
    canary.abort(new ControlRequest("alice", "wrong build"));
    for (Executable update :
        List.<Executable>of(
            () -> canary.resume(bob),
            () -> canary.promote(new PromoteRequest(true, "bob", null)),
            () -> canary.abort(new ControlRequest("bob", "again")))) {
      String reason = rejection(update);
      assertTrue(reason.startsWith("the canary is rolling back: "), reason);
      assertTrue(reason.contains("wrong build"), reason);
    }
    RolloutStatus end = result(canary).status();
    assertEquals(Phase.ABORTED, end.phase());
    assertEquals(
        List.of("pause", "abort"), end.actions().stream().map(ActionRecord::action).toList());

    // After the end no workflow runs to validate anything: the server itself refuses every update
    // as NOT_FOUND (the test server says "update ... not found", a real one "workflow execution
    // already completed"). Callers tell the person the rollout has ended, from describe.
    for (Executable update :
        List.<Executable>of(
            () -> canary.pause(bob),
            () -> canary.resume(bob),
            () -> canary.promote(new PromoteRequest(true, "bob", null)),
            () -> canary.abort(new ControlRequest("bob", "again")))) {
      WorkflowNotFoundException e = assertThrows(WorkflowNotFoundException.class, update);
      assertTrue(messages(e).contains("NOT_FOUND"), messages(e));
    }
  }

  // ---- bad input ------------------------------------------------------------------------------

  @Test
  void anImpossibleStepFailsTheWorkflowOnceWithTheOneLineError() {
    CanarySpec good = CanaryDocs.spec(fast().yaml());
    CanarySpec bad =
        new CanarySpec(
            List.of(
                new CanaryStep(120, Duration.ofMinutes(5), null), new CanaryStep(100, null, null)),
            good.metrics(),
            good.autoPromote(),
            good.autoRollback(),
            good.notification(),
            good.analysis(),
            good.progressDeadline());

    assertInvalidInput(
        new CanaryInput("api", "production", CANDIDATE, bad, CanaryDocs.target(), "alice"),
        "<input>: canary.steps[0].traffic_percent: 120 is not a percentage (0..100)");
  }

  @Test
  void aVersionMissingFromTheCatalogFailsTheWorkflowOnceWithTheOneLineError() {
    CanaryInput input = fast().input();
    assertInvalidInput(
        new CanaryInput(
            input.service(), input.env(), "v3", input.canary(), input.target(), "alice"),
        "<input>: version: \"v3\" is not a version of api in production (catalog has: v1, v2)");
  }

  private void assertInvalidInput(CanaryInput input, String expected) {
    CanaryWorkflow canary = h.start(input);
    WorkflowStub stub = h.awaitClosed(canary, Duration.ofMinutes(1));

    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(CanaryResult.class));

    ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(dev.trafficctl.workflows.WorkflowFailures.INVALID_INPUT, failure.getType());
    assertTrue(failure.isNonRetryable());
    assertEquals(expected, failure.getOriginalMessage());
    assertEquals(0, h.router.calls(), "the router is never touched");
    var events = h.client().fetchHistory(CanaryHarness.WORKFLOW_ID).getEvents();
    assertEquals(
        1,
        events.stream()
            .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
            .count(),
        "failed in its first workflow task, no retries");
    assertEquals(
        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
        events.get(events.size() - 1).getEventType());
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, stub.describe().getStatus());
  }

  // ---- what the Web UI and the CLI read -------------------------------------------------------

  @Test
  void searchAttributesAndMemoFollowTheRollout() throws Exception {
    CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
    sleepIntoStep(canary, Duration.ofSeconds(90));
    canary.pause(new ControlRequest("alice", "check dashboards"));

    WorkflowExecutionDescription d = CanaryHarness.untyped(canary).describe();
    SearchAttributes sa = d.getTypedSearchAttributes();
    assertEquals("api", sa.get(TrafficSearchAttributes.SERVICE));
    assertEquals("production", sa.get(TrafficSearchAttributes.ENV));
    assertEquals("canary", sa.get(TrafficSearchAttributes.STRATEGY));
    assertEquals("v2", sa.get(TrafficSearchAttributes.VERSION));
    assertEquals("Paused", sa.get(TrafficSearchAttributes.PHASE));
    assertEquals(10L, sa.get(TrafficSearchAttributes.WEIGHT));
    RolloutStatus memo = memoStatus(d);
    assertEquals(Phase.PAUSED, memo.phase());
    assertEquals("paused by alice: \"check dashboards\"", memo.message());
    assertEquals(10, memo.weight());

    // The status as the CLI prints it with --output json; the report quotes it.
    String json =
        JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(canary.status());
    System.out.println("status of a paused canary:\n" + json);
    assertTrue(json.contains("\"phase\" : \"Paused\""), json);
    assertTrue(json.contains("\"step_remaining\" : \"3m"), json);

    canary.abort(new ControlRequest("alice", "done looking"));
    result(canary);
    SearchAttributes end = CanaryHarness.untyped(canary).describe().getTypedSearchAttributes();
    assertEquals("Aborted", end.get(TrafficSearchAttributes.PHASE));
    assertEquals(0L, end.get(TrafficSearchAttributes.WEIGHT));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** Lets workflow time pass until {@code into} after the current step began. */
  private void sleepIntoStep(CanaryWorkflow canary, Duration into) {
    List<StepRecord> steps = canary.status().steps();
    h.sleepUntil(steps.get(steps.size() - 1).startedAt().plus(into));
  }

  private CanaryResult result(CanaryWorkflow canary) {
    return h.result(canary);
  }

  private static RolloutStatus memoStatus(WorkflowExecutionDescription d) {
    return (RolloutStatus) d.getMemo("status", RolloutStatus.class);
  }

  /** The reason a validator gave for rejecting an update. */
  private static String rejection(Executable update) {
    WorkflowUpdateException e = assertThrows(WorkflowUpdateException.class, update);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure failure) {
        return failure.getOriginalMessage();
      }
    }
    throw new AssertionError("no reason in " + e, e);
  }

  private static String messages(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t.getMessage()).append(" / ");
    }
    return out.toString();
  }

  /** Workflow time drifts by the milliseconds activities take; allow a few seconds. */
  private static void assertAbout(Duration expected, Duration actual, String what) {
    assertFalse(
        actual.compareTo(expected.minus(SLACK)) < 0 || actual.compareTo(expected.plus(SLACK)) > 0,
        what + ": expected about " + expected + " but was " + actual);
  }
}
