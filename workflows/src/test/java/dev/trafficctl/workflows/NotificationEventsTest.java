package dev.trafficctl.workflows;

import static dev.trafficctl.config.notification.NotificationEvent.ANALYSIS_FAILED;
import static dev.trafficctl.config.notification.NotificationEvent.COMPLETED;
import static dev.trafficctl.config.notification.NotificationEvent.PROMOTED;
import static dev.trafficctl.config.notification.NotificationEvent.ROLLED_BACK;
import static dev.trafficctl.config.notification.NotificationEvent.STARTED;
import static dev.trafficctl.config.notification.NotificationEvent.STEP_ADVANCED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenDocs;
import dev.trafficctl.workflows.bluegreen.testing.BlueGreenHarness;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.canary.testing.CanaryHarness;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exact events each rollout notifies, in order, on every channel; and what a channel that is
 * down costs a rollout: nothing but a bounded wait at its end.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NotificationEventsTest {

  private static final String ALL_EVENTS_ON_SLACK_AND_EMAIL =
      "{ channels: [\"slack\", \"email\"] }";

  @Test
  void aCanaryThatPromotesNotifiesEveryChannelInOrder() {
    try (CanaryHarness h = new CanaryHarness()) {
      CanaryWorkflow canary =
          h.start(CanaryDocs.fast().with("notification", ALL_EVENTS_ON_SLACK_AND_EMAIL).input());
      assertEquals(Phase.PROMOTED, h.result(canary).status().phase());
      List<NotificationEvent> expected = List.of(STARTED, STEP_ADVANCED, PROMOTED, COMPLETED);
      assertEquals(expected, h.notifier.events(NotificationChannel.SLACK));
      assertEquals(expected, h.notifier.events(NotificationChannel.EMAIL));
      // Each event carries the rollout's status at that moment and its destinations.
      RolloutNotification promoted =
          h.notifier.sent().stream().filter(n -> n.event() == PROMOTED).findFirst().orElseThrow();
      assertEquals(100, promoted.status().weight());
      assertEquals("#deploys", promoted.targets().slack().channel());
      assertTrue(promoted.eventId().startsWith("production.api/"), promoted.eventId());
    }
  }

  @Test
  void aCanaryThatRollsBackSaysWhyBeforeItSaysRolledBack() {
    try (CanaryHarness h = new CanaryHarness()) {
      CanaryWorkflow canary =
          h.startAndEnterFirstStep(
              CanaryDocs.fast().with("notification", ALL_EVENTS_ON_SLACK_AND_EMAIL).input());
      h.metrics.failing(CanaryDocs.CANDIDATE, 30);
      assertEquals(Phase.ROLLED_BACK, h.result(canary).status().phase());
      List<NotificationEvent> expected = List.of(STARTED, ANALYSIS_FAILED, ROLLED_BACK);
      assertEquals(expected, h.notifier.events(NotificationChannel.SLACK));
      assertEquals(expected, h.notifier.events(NotificationChannel.EMAIL));
      RolloutNotification failed =
          h.notifier.sent().stream()
              .filter(n -> n.event() == ANALYSIS_FAILED)
              .findFirst()
              .orElseThrow();
      assertTrue(
          failed.status().lastAnalysis().checks().stream().anyMatch(c -> !c.ok()),
          "the analysis that led to it travels with the event: " + failed.status());
    }
  }

  @Test
  void aBlueGreenThatSwitchesBackNotifiesTheFailedCheckThenTheRollback() {
    try (BlueGreenHarness h = new BlueGreenHarness()) {
      String allEvents =
          BlueGreenDocs.with(
              "events: [started, paused, promoted, rolled_back, aborted, completed]",
              "events: [started, step_advanced, paused, promoted, rolled_back, aborted,"
                  + " completed, analysis_failed]");
      BlueGreenWorkflow bg =
          h.start(BlueGreenDocs.input(allEvents, BlueGreenDocs.autoPromote(), true));
      h.await(
          bg,
          s -> s.step() == dev.trafficctl.workflows.bluegreen.Stage.MONITORING.number(),
          Duration.ofMinutes(5));
      h.metrics.failing("green", 80);
      assertEquals(Phase.ROLLED_BACK, h.result(bg).status().phase());
      assertEquals(
          List.of(
              STARTED,
              STEP_ADVANCED,
              STEP_ADVANCED,
              STEP_ADVANCED,
              STEP_ADVANCED,
              ANALYSIS_FAILED,
              ROLLED_BACK),
          h.notifier.events(NotificationChannel.SLACK));
    }
  }

  @Test
  void aSlackThatIsDownChangesNeitherTheOutcomeNorTheTimingBeyondTheBound() {
    RolloutStatus healthy;
    try (CanaryHarness h = new CanaryHarness()) {
      healthy =
          h.result(
                  h.start(
                      CanaryDocs.fast()
                          .with("notification", ALL_EVENTS_ON_SLACK_AND_EMAIL)
                          .input()))
              .status();
    }
    try (CanaryHarness h = new CanaryHarness()) {
      h.notifier.fail(NotificationChannel.SLACK);
      RolloutStatus s =
          h.result(
                  h.start(
                      CanaryDocs.fast()
                          .with("notification", ALL_EVENTS_ON_SLACK_AND_EMAIL)
                          .input()))
              .status();
      assertEquals(Phase.PROMOTED, s.phase());
      assertEquals(healthy.steps().size(), s.steps().size());
      for (int i = 0; i < s.steps().size(); i++) {
        Duration shift =
            Duration.between(healthy.steps().get(i).startedAt(), s.steps().get(i).startedAt())
                .abs();
        assertTrue(
            shift.compareTo(Duration.ofSeconds(5)) < 0,
            "step " + (i + 1) + " started " + shift + " away from when it did with Slack up");
      }
      // The only cost: at its end the rollout waits for the last notifications, at most the
      // Notify activity's schedule-to-close timeout.
      Duration late = Duration.between(healthy.updatedAt(), s.updatedAt());
      assertTrue(
          late.compareTo(ActivityStubs.NOTIFY.getScheduleToCloseTimeout()) <= 0,
          "ended " + late + " later");
      // Email got every event; Slack's failures are in the status, retried a bounded number of
      // times each.
      assertEquals(
          List.of(STARTED, STEP_ADVANCED, PROMOTED, COMPLETED),
          h.notifier.events(NotificationChannel.EMAIL));
      assertTrue(h.notifier.events(NotificationChannel.SLACK).isEmpty());
      List<NotificationFailure> failures = s.notificationFailures();
      assertTrue(!failures.isEmpty(), s.toString());
      assertTrue(failures.stream().allMatch(f -> f.channel().equals("slack")), failures.toString());
      assertTrue(failures.get(0).error().contains("slack is down"), failures.toString());
      assertTrue(
          h.notifier.failedAttempts()
              <= 4 * ActivityStubs.NOTIFY.getRetryOptions().getMaximumAttempts(),
          "attempts: " + h.notifier.failedAttempts());
    }
  }
}
