package dev.trafficctl.workflows.canary;

import static dev.trafficctl.workflows.canary.testing.CanaryDocs.CANDIDATE;
import static dev.trafficctl.workflows.canary.testing.CanaryDocs.fast;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays recorded canary histories against today's {@link CanaryWorkflowImpl}: a change that would
 * break running rollouts (non-determinism) fails here. The histories live in {@code
 * src/test/resources/histories/canary-*.json}.
 *
 * <p>To re-record them after a deliberate workflow change (one that the released histories still
 * replay: {@code ReleasedHistoriesReplayTest}), run {@code mvn test -pl workflows
 * -Dtest=CanaryReplayTest -Dtrafficctl.recordHistories=true}: the scenarios below run on the test
 * server and their histories overwrite the fixtures before they are replayed.
 */
class CanaryReplayTest {

  /** Each recorded scenario, and the event its history must end with. */
  private record Scenario(Consumer<CanaryHarness> run, EventType lastEvent) {}

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put(
        "promoted",
        new Scenario(
            h -> expectPhase(h, h.start(fast().input()), Phase.PROMOTED),
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    SCENARIOS.put(
        "rolled-back",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              h.await(canary, s -> s.steps().size() == 2, Duration.ofMinutes(10));
              h.metrics.failing(CANDIDATE, 30);
              expectPhase(h, canary, Phase.ROLLED_BACK);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    SCENARIOS.put(
        "paused-then-promoted",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              sleepIntoStep(h, canary, Duration.ofSeconds(90));
              canary.pause(new ControlRequest("alice", "check dashboards"));
              h.sleep(Duration.ofMinutes(10));
              canary.promote(new PromoteRequest(false, "bob", "dashboards fine"));
              expectPhase(h, canary, Phase.PROMOTED);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    // Recorded: the last run, which starts from the state the previous one carried.
    SCENARIOS.put(
        "paused-continued-then-resumed",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              sleepIntoStep(h, canary, Duration.ofSeconds(90));
              canary.pause(new ControlRequest("alice", "over the weekend"));
              h.sleep(Duration.ofHours(3));
              h.latest().resume(new ControlRequest("alice", "back"));
              expectPhase(h, h.latest(), Phase.PROMOTED);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    SCENARIOS.put(
        "gated-then-promoted",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.start(fast().with("auto_promote", "false").input());
              h.await(canary, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(15));
              h.sleep(Duration.ofMinutes(5));
              canary.promote(new PromoteRequest(false, "bob", "looks good"));
              expectPhase(h, canary, Phase.PROMOTED);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    SCENARIOS.put(
        "aborted",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              h.await(canary, s -> s.steps().size() == 2, Duration.ofMinutes(10));
              sleepIntoStep(h, canary, Duration.ofSeconds(90));
              canary.abort(new ControlRequest("alice", "error budget burning"));
              expectPhase(h, canary, Phase.ABORTED);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    SCENARIOS.put(
        "cancelled",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              sleepIntoStep(h, canary, Duration.ofSeconds(90));
              CanaryHarness.untyped(canary).cancel();
              h.awaitClosed(canary, Duration.ofMinutes(5));
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED));
  }

  static {
    // The router is unreachable for longer than the rollback's handover window: the rollout hands
    // its rollback to the reconciler and ends; the reconciler's history is recorded too.
    SCENARIOS.put(
        "handed-over",
        new Scenario(
            h -> {
              CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
              h.router.failNext(90);
              expectPhase(h, canary, Phase.ROLLED_BACK);
              h.client()
                  .newUntypedWorkflowStub("reconcile:" + CanaryHarness.WORKFLOW_ID)
                  .getResult(String.class);
            },
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
  }

  @BeforeAll
  static void recordWhenAsked() throws IOException {
    if (!RecordedHistories.recording()) {
      return;
    }
    for (Map.Entry<String, Scenario> scenario : SCENARIOS.entrySet()) {
      if (!RecordedHistories.recording("canary-" + scenario.getKey())) {
        continue;
      }
      try (CanaryHarness h = new CanaryHarness()) {
        scenario.getValue().run().accept(h);
        RecordedHistories.record(
            "canary-" + scenario.getKey(), h.client(), CanaryHarness.WORKFLOW_ID);
        if (scenario.getKey().equals("handed-over")) {
          RecordedHistories.record(
              "reconcile-applied", h.client(), "reconcile:" + CanaryHarness.WORKFLOW_ID);
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryReplays() {
    return SCENARIOS.entrySet().stream()
        .map(
            scenario ->
                DynamicTest.dynamicTest(
                    "canary-" + scenario.getKey(),
                    () ->
                        RecordedHistories.replay(
                            "canary-" + scenario.getKey(),
                            scenario.getValue().lastEvent(),
                            CanaryWorkflowImpl.class)));
  }

  private static void expectPhase(CanaryHarness h, CanaryWorkflow canary, Phase phase) {
    assertEquals(phase, h.result(canary).status().phase());
  }

  private static void sleepIntoStep(CanaryHarness h, CanaryWorkflow canary, Duration into) {
    List<StepRecord> steps = canary.status().steps();
    h.sleepUntil(steps.get(steps.size() - 1).startedAt().plus(into));
  }
}
