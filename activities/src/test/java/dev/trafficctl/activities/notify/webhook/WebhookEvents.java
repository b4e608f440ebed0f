package dev.trafficctl.activities.notify.webhook;

import dev.trafficctl.activities.notify.NotificationMessage;
import dev.trafficctl.activities.notify.WebUiLinks;
import dev.trafficctl.config.catalog.NotificationTargets;
import dev.trafficctl.config.notification.NotificationChannel;
import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.testing.RolloutStatuses;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Rollout events as the canary workflow sends them, for the webhook tests. */
final class WebhookEvents {

  static final WebUiLinks LINKS = new WebUiLinks("http://localhost:8233", "default");
  static final String EVENT_ID = "production.api/run-1/4/webhook";
  static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");

  private WebhookEvents() {}

  /** A canary rolled back at step 2 (20%) after success_rate fell below 99%, after a pause. */
  static RolloutNotification rolledBack(String url) {
    AnalysisReport analysis =
        new AnalysisReport(
            AT.minusSeconds(5),
            Verdict.FAIL,
            List.of(
                new MetricCheck(
                    "success_rate", 90.25, 99, true, "%", Duration.ofSeconds(20), false),
                new MetricCheck("p95", 120.0, 500, false, "ms", Duration.ofSeconds(20), true),
                new MetricCheck("error_rate", null, 1, false, "%", null, true)),
            1234,
            100,
            null);
    RolloutStatus status =
        RolloutStatuses.canaryRolledBack(AT, 2, 5)
            .message("success_rate 90.3% < 99%: rolled back to v1")
            .lastAnalysis(analysis)
            .actions(
                List.of(
                    new ActionRecord(AT.minusSeconds(120), "pause", "alice", "checking dashboards"),
                    new ActionRecord(AT.minusSeconds(60), "resume", "bob", null)))
            .build();
    return notification(NotificationEvent.ROLLED_BACK, status, url);
  }

  /** A canary that just started: no analysis yet, nobody acted, 10% on v2. */
  static RolloutNotification started(String url) {
    RolloutStatus status =
        RolloutStatuses.canaryStarted(AT, 5, 10, 25, Duration.ofMinutes(5))
            .message("step 1/5: 10% to v2 for 5m")
            .build();
    return notification(NotificationEvent.STARTED, status, url);
  }

  private static RolloutNotification notification(
      NotificationEvent event, RolloutStatus status, String url) {
    return new RolloutNotification(
        EVENT_ID,
        event,
        List.of(NotificationChannel.WEBHOOK),
        new NotificationTargets(
            null, null, url == null ? null : new NotificationTargets.Webhook(url)),
        status);
  }

  static NotificationMessage message(RolloutNotification n) {
    return NotificationMessage.of(n, LINKS);
  }
}
