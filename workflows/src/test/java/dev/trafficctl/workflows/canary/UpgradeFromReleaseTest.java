package dev.trafficctl.workflows.canary;

import static dev.trafficctl.workflows.canary.testing.CanaryDocs.fast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.RolloutControl;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * A workflow change made after release 0.1.0, behind {@code Workflow.getVersion}: a resume now
 * notifies {@code resumed}. A canary that 0.1.0 left paused must replay under this build and,
 * resumed, take the new path; one that resumed under 0.1.0 replays without it.
 */
class UpgradeFromReleaseTest {

  private static final Path RELEASE =
      Path.of(System.getProperty("basedir", "."), "src/test/resources/histories/v0.1.0");

  /**
   * The released mid-pause history replays under this build; the same rollout, paused at the same
   * point under this build, waited and changed the router as 0.1.0's did (so it stands where
   * 0.1.0's does; how it reads for its analyses may differ), and resumed it takes the new path: the
   * version marker, then the notification.
   */
  @Test
  void theReleasedMidPauseHistoryReplaysAndTheRolloutResumedTakesTheNewPath() throws Exception {
    WorkflowExecutionHistory released =
        RecordedHistories.read(RELEASE.resolve("canary-mid-pause.json"));
    RecordedHistories.replay(released, CanaryWorkflowImpl.class);

    try (CanaryHarness h = new CanaryHarness()) {
      // The scenario 0.1.0 recorded its mid-pause history with.
      CanaryWorkflow canary = h.startAndEnterFirstStep(fast().input());
      List<StepRecord> steps = canary.status().steps();
      h.sleepUntil(steps.get(steps.size() - 1).startedAt().plus(Duration.ofSeconds(90)));
      canary.pause(new ControlRequest("alice", "over the weekend"));
      h.sleep(Duration.ofMinutes(10));
      WorkflowExecutionHistory paused = h.client().fetchHistory(CanaryHarness.WORKFLOW_ID);
      // Its waits and router changes, in order (when the test server started and completed each
      // task varies from run to run).
      assertEquals(
          waitsAndChanges(released),
          waitsAndChanges(paused),
          "paused under this build as under 0.1.0");
      int before = paused.getEvents().size();

      canary.resume(new ControlRequest("alice", "back"));

      List<HistoryEvent> events = h.client().fetchHistory(CanaryHarness.WORKFLOW_ID).getEvents();
      List<HistoryEvent> after = events.subList(before, events.size());
      assertTrue(
          after.stream()
              .anyMatch(
                  e ->
                      e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                          && e.toString().contains(RolloutControl.RESUMED_NOTIFICATION)),
          "the resume recorded the new path's version marker");
    }
  }

  /** Resumed under this build, a rollout whose document asks for it notifies {@code resumed}. */
  @Test
  void aResumeNotifiesResumed() {
    try (CanaryHarness h = new CanaryHarness()) {
      CanaryWorkflow canary =
          h.startAndEnterFirstStep(
              fast()
                  .with("notification", "{ channels: [\"slack\"], events: [paused, resumed] }")
                  .input());
      canary.pause(new ControlRequest("alice", "check dashboards"));
      canary.resume(new ControlRequest("alice", "fine"));
      assertTrue(h.result(canary).promoted());
      assertEquals(
          List.of(NotificationEvent.PAUSED, NotificationEvent.RESUMED),
          h.notifier.events().stream().distinct().toList());
    }
  }

  /** A resume under 0.1.0 notified nothing, and its history replays without the new path. */
  @Test
  void aReleasedHistoryThatResumedReplaysWithoutTheNewPath() throws Exception {
    WorkflowExecutionHistory released =
        RecordedHistories.read(RELEASE.resolve("canary-paused-continued-then-resumed.json"));
    assertTrue(
        released.getEvents().stream()
            .noneMatch(e -> e.toString().contains(RolloutControl.RESUMED_NOTIFICATION)));
    RecordedHistories.replay(released, CanaryWorkflowImpl.class);
  }

  /**
   * The timers a history started and the router changes it scheduled, in order: where a rollout
   * stands, whatever else (version markers, local activities' markers) the build records.
   */
  private static List<String> waitsAndChanges(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .map(
            e ->
                switch (e.getEventType()) {
                  case EVENT_TYPE_TIMER_STARTED -> "timer";
                  case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
                    String type =
                        e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
                    yield type.equals("SetWeights") ? type : null;
                  }
                  default -> null;
                })
        .filter(Objects::nonNull)
        .toList();
  }
}
