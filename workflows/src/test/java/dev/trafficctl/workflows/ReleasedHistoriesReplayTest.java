package dev.trafficctl.workflows;

import static dev.trafficctl.workflows.canary.testing.CanaryDocs.CANDIDATE;
import static dev.trafficctl.workflows.canary.testing.CanaryDocs.fast;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.abtest.AbTestWorkflow;
import dev.trafficctl.workflows.abtest.AbTestWorkflowImpl;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflowImpl;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.canary.CanaryWorkflowImpl;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.ports.MetricsSample;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflow;
import dev.trafficctl.workflows.reconcile.RouteReconcileWorkflowImpl;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflowImpl;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflowImpl;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the histories every release recorded ({@code src/test/resources/histories/<release>/})
 * against today's workflow code: once released, a workflow change that would break a rollout
 * running under that release (non-determinism) fails here, and goes behind {@code
 * Workflow.getVersion} instead (docs/upgrading.md).
 *
 * <p>A release's histories are recorded once, from its build, with {@code mvn test -pl workflows
 * -am -Dtest='*ReplayTest' -Dtrafficctl.recordHistories=true -Dtrafficctl.recordRelease=vX.Y.Z}:
 * the completed scenarios of every replay test, and the rollouts below that stop in the middle
 * (mid-step, mid-pause, mid-analysis), as a worker would find them after an upgrade.
 */
class ReleasedHistoriesReplayTest {

  /** Which implementation replays a history, by the workflow type its first event names. */
  private static final Map<String, Class<?>> IMPLEMENTATIONS =
      Map.of(
          CanaryWorkflow.TYPE, CanaryWorkflowImpl.class,
          BlueGreenWorkflow.TYPE, BlueGreenWorkflowImpl.class,
          TrafficSplitWorkflow.TYPE, TrafficSplitWorkflowImpl.class,
          TrafficMigrationWorkflow.TYPE, TrafficMigrationWorkflowImpl.class,
          AbTestWorkflow.TYPE, AbTestWorkflowImpl.class,
          RouteReconcileWorkflow.TYPE, RouteReconcileWorkflowImpl.class);

  @BeforeAll
  static void recordTheRunningOnesWhenAsked() throws Exception {
    if (!RecordedHistories.recordingRelease()) {
      return;
    }
    try (CanaryHarness h = new CanaryHarness()) {
      CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
      sleepIntoStep(h, canary, Duration.ofSeconds(90));
      RecordedHistories.recordRelease("canary-mid-step", h.client(), CanaryHarness.WORKFLOW_ID);
    }
    try (CanaryHarness h = new CanaryHarness()) {
      CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
      sleepIntoStep(h, canary, Duration.ofSeconds(90));
      canary.pause(new ControlRequest("alice", "over the weekend"));
      h.sleep(Duration.ofMinutes(10));
      RecordedHistories.recordRelease("canary-mid-pause", h.client(), CanaryHarness.WORKFLOW_ID);
    }
    try (CanaryHarness h = new CanaryHarness()) {
      // The candidate's metrics answer only once the history is taken: it stops with the
      // analysis's activity scheduled and not answered.
      CountDownLatch asked = new CountDownLatch(1);
      CountDownLatch answer = new CountDownLatch(1);
      h.metrics.script(
          CANDIDATE,
          q -> {
            asked.countDown();
            try {
              answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new MetricsSample(1000, 2, 120.0, q.window());
          });
      h.startAndEnterFirstStep(fast().input());
      // Workflow time passes only while the test lets it: until the step's first analysis.
      for (int i = 0; i < 60 && asked.getCount() > 0; i++) {
        h.sleep(Duration.ofSeconds(5));
      }
      assertTrue(asked.await(30, TimeUnit.SECONDS), "an analysis asked for metrics");
      RecordedHistories.recordRelease("canary-mid-analysis", h.client(), CanaryHarness.WORKFLOW_ID);
      answer.countDown();
    }
  }

  @Test
  void everyReleaseHasHistoriesThatStopMidStepMidPauseAndMidAnalysis() throws Exception {
    List<Path> released = RecordedHistories.released();
    List<String> releases =
        released.stream().map(f -> f.getParent().getFileName().toString()).distinct().toList();
    assertFalse(releases.isEmpty(), "no release has recorded histories");
    for (String release : releases) {
      for (String running : List.of("canary-mid-step", "canary-mid-pause", "canary-mid-analysis")) {
        Path file =
            released.stream()
                .filter(f -> f.getParent().getFileName().toString().equals(release))
                .filter(f -> f.getFileName().toString().equals(running + ".json"))
                .findFirst()
                .orElse(null);
        assertNotNull(file, release + " has no " + running + " history");
        EventType last = RecordedHistories.read(file).getLastEvent().getEventType();
        assertFalse(last.name().startsWith("EVENT_TYPE_WORKFLOW_EXECUTION_"), file + " ended");
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyReleasedHistoryReplays() throws Exception {
    return RecordedHistories.released().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getParent().getFileName() + "/" + file.getFileName(),
                    () -> {
                      WorkflowExecutionHistory history = RecordedHistories.read(file);
                      String type =
                          history
                              .getEvents()
                              .get(0)
                              .getWorkflowExecutionStartedEventAttributes()
                              .getWorkflowType()
                              .getName();
                      Class<?> implementation = IMPLEMENTATIONS.get(type);
                      assertNotNull(implementation, file + ": no implementation of " + type);
                      RecordedHistories.replay(history, implementation);
                    }));
  }

  private static void sleepIntoStep(CanaryHarness h, CanaryWorkflow canary, Duration into) {
    List<StepRecord> steps = canary.status().steps();
    h.sleepUntil(steps.get(steps.size() - 1).startedAt().plus(into));
  }
}
