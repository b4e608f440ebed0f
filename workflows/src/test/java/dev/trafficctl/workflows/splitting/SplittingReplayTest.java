package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.catalog.DriftAction;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.FakeRouter;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays recorded split and migration histories ({@code histories/split-*.json}, {@code
 * histories/migration-*.json}). Re-record with {@code -Dtrafficctl.recordHistories=true}.
 */
class SplittingReplayTest {

  private record Scenario(Consumer<SplittingHarness> run, Class<?> workflow, EventType closedBy) {
    Scenario(Consumer<SplittingHarness> run, Class<?> workflow) {
      this(run, workflow, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }
  }

  private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put(
        "split-static",
        new Scenario(
            h ->
                h.split()
                    .run(
                        new SplitInput(
                            "api",
                            "production",
                            CanaryDocs.target(),
                            Map.of("v1", 80, "v2", 20),
                            "alice",
                            null)),
            TrafficSplitWorkflowImpl.class));
    SCENARIOS.put(
        "split-capacity",
        new Scenario(
            h -> {
              h.router.serverWeights(Map.of("127.0.0.1:18081", 3));
              h.metrics.utilization("127.0.0.1:18081", 92.0);
              h.metrics.utilization("127.0.0.1:18082", 35.0);
              assertEquals(
                  Phase.PROMOTED,
                  h.split().run(TrafficSplitCapacityTest.capacity(false)).status().phase());
            },
            TrafficSplitWorkflowImpl.class));
    // Recorded after splits read what is in force first (Workflow.getVersion), to put it back.
    SCENARIOS.put(
        "split-cancelled-after-change",
        new Scenario(
            SplittingReplayTest::cancelledRightAfterTheChange,
            TrafficSplitWorkflowImpl.class,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED));
    SCENARIOS.put(
        "migration-paused-resumed",
        new Scenario(
            h -> pausedAfterTheFirstMoveThenResumed(h, Duration.ofMinutes(5)),
            TrafficMigrationWorkflowImpl.class));
    // Recorded: the last run, which starts from the state the previous one carried.
    SCENARIOS.put(
        "migration-paused-continued-resumed",
        new Scenario(
            h -> pausedAfterTheFirstMoveThenResumed(h, Duration.ofHours(6)),
            TrafficMigrationWorkflowImpl.class));
    SCENARIOS.put(
        "migration-breach",
        new Scenario(
            h -> {
              TrafficMigrationWorkflow wf =
                  h.start(
                      SplittingHarness.migration(20, SplittingHarness.errorRateAtMost1(), null));
              h.await(wf, s -> s.step() == 2, Duration.ofMinutes(5));
              h.metrics.failing(CanaryDocs.CANDIDATE, 50);
              assertEquals(Phase.ROLLED_BACK, h.result(wf).status().phase());
            },
            TrafficMigrationWorkflowImpl.class));
    // Recorded after the drift check (Workflow.getVersion "weights-drift-check").
    SCENARIOS.put(
        "migration-drift-paused-resumed",
        new Scenario(
            h -> {
              TrafficMigrationWorkflow wf =
                  TrafficMigrationWorkflowTest.weightsSetByHandAfterTheFirstMove(
                      h, DriftAction.PAUSE);
              h.await(wf, s -> s.phase() == Phase.PAUSED, Duration.ofMinutes(5));
              wf.resume(new ControlRequest("bob", "set by mistake"));
              assertEquals(Phase.PROMOTED, h.result(wf).status().phase());
            },
            TrafficMigrationWorkflowImpl.class));
  }

  /** A split cancelled while its change was in force and its answer on the way: put back. */
  private static void cancelledRightAfterTheChange(SplittingHarness h) {
    FakeRouter.Hold answer = h.router.holdNextAnswer();
    TrafficSplitWorkflow wf = h.split();
    WorkflowClient.start(
        wf::run,
        new SplitInput(
            "api", "production", CanaryDocs.target(), Map.of("v1", 80, "v2", 20), "alice", null));
    try {
      answer.awaitArrival();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel("withdrawn");
    assertThrows(WorkflowFailedException.class, () -> stub.getResult(SplitResult.class));
    answer.release();
    assertEquals(Map.of("v1", 100, "v2", 0), h.router.current());
  }

  /**
   * A migration paused after its first move for {@code pause}, then resumed and completed; a long
   * pause continues it as new, so the resume and the result go to the latest run.
   */
  private static void pausedAfterTheFirstMoveThenResumed(SplittingHarness h, Duration pause) {
    TrafficMigrationWorkflow wf =
        h.start(SplittingHarness.migration(40, SplittingHarness.errorRateAtMost1(), null));
    h.await(wf, s -> s.step() == 1, Duration.ofSeconds(30));
    wf.pause(new ControlRequest("bob", null));
    h.sleep(pause);
    h.latest().resume(new ControlRequest("bob", null));
    assertEquals(Phase.PROMOTED, h.result(h.latest()).status().phase());
  }

  @BeforeAll
  static void recordWhenAsked() throws IOException {
    if (!RecordedHistories.recording()) {
      return;
    }
    for (Map.Entry<String, Scenario> scenario : SCENARIOS.entrySet()) {
      try (SplittingHarness h = new SplittingHarness()) {
        scenario.getValue().run().accept(h);
        RecordedHistories.record(scenario.getKey(), h.client(), SplittingHarness.WORKFLOW_ID);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRecordedHistoryReplays() {
    return SCENARIOS.entrySet().stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.getKey(),
                    () ->
                        RecordedHistories.replay(
                            s.getKey(), s.getValue().closedBy(), s.getValue().workflow())));
  }
}
