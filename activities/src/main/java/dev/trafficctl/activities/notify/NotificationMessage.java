package dev.trafficctl.activities.notify;

import dev.trafficctl.config.notification.NotificationEvent;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every channel says about one event, rendered once from the rollout's status: a title, the
 * status message, labelled fields, the analysis values that led to it, and the Web UI link.
 *
 * @param title e.g. {@code api (production): canary rolled back}
 * @param summary the rollout's own message: what it did and why
 * @param fields label to value, in display order: service, environment, strategy, phase, step,
 *     weights, who acted and why
 * @param metrics one line per metric of the last analysis, e.g. {@code success_rate 90.3% (needs >=
 *     99%) over 20s: failed}
 * @param link the workflow in the Temporal Web UI
 */
public record NotificationMessage(
    String eventId,
    NotificationEvent event,
    String title,
    String summary,
    Map<String, String> fields,
    List<String> metrics,
    String link,
    Instant at) {

  public NotificationMessage {
    fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    metrics = List.copyOf(metrics);
  }

  public static NotificationMessage of(RolloutNotification n, WebUiLinks links) {
    RolloutStatus s = n.status();
    String event = n.event().wire().replace('_', ' ');
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Service", s.service());
    fields.put("Environment", s.env());
    fields.put("Strategy", s.strategy());
    fields.put("Phase", s.phase().display());
    fields.put("Step", s.step() + "/" + s.totalSteps());
    fields.put("Weights", weights(s));
    if (!s.actions().isEmpty()) {
      ActionRecord last = s.actions().get(s.actions().size() - 1);
      fields.put(
          "Last action",
          last.action() + " by " + last.by() + (last.reason() == null ? "" : ": " + last.reason()));
    }
    return new NotificationMessage(
        n.eventId(),
        n.event(),
        s.service() + " (" + s.env() + "): " + s.strategy() + " " + event,
        s.message(),
        fields,
        metrics(s.lastAnalysis()),
        links.workflow(s.workflowId()),
        s.updatedAt());
  }

  private static String weights(RolloutStatus s) {
    String stable = s.stableVersion() == null ? "stable" : s.stableVersion();
    String candidate = s.candidateVersion() == null ? "candidate" : s.candidateVersion();
    return stable + " " + (100 - s.weight()) + "% / " + candidate + " " + s.weight() + "%";
  }

  private static List<String> metrics(AnalysisReport report) {
    List<String> lines = new ArrayList<>();
    if (report == null) {
      return lines;
    }
    for (MetricCheck c : report.checks()) {
      lines.add(
          c.metric()
              + " "
              + (c.value() == null ? "n/a" : format(c.value()) + c.unit())
              + " (needs "
              + (c.atLeast() ? ">= " : "<= ")
              + format(c.threshold())
              + c.unit()
              + ")"
              + (c.window() == null ? "" : " over " + c.window().toSeconds() + "s")
              + (c.ok() ? ": ok" : ": failed"));
    }
    if (report.detail() != null && report.checks().isEmpty()) {
      lines.add(report.detail());
    }
    return lines;
  }

  private static String format(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  /** The message as plain text: the email's text part, a log line's detail. */
  public String text() {
    StringBuilder out = new StringBuilder(title).append("\n\n").append(summary).append("\n\n");
    fields.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    if (!metrics.isEmpty()) {
      out.append("\nMetrics:\n");
      metrics.forEach(m -> out.append("  ").append(m).append('\n'));
    }
    return out.append("\nWorkflow: ").append(link).append('\n').toString();
  }
}
