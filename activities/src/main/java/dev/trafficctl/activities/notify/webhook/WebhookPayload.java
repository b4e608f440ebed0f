package dev.trafficctl.activities.notify.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.trafficctl.workflows.ports.RolloutNotification;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of a webhook: one rollout event, versioned, for pipelines to react on. Written with
 * the project's mapping (snake_case), every field always present (null where there is nothing), in
 * this order. Built only from the event and its status, so a retry of one event sends the same
 * bytes. Documented in {@code docs/webhook-payload.md}, described by {@code
 * docs/webhook-payload.schema.json}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}; raised only for changes a receiver must adapt to
 *     (a field removed, renamed or with a new meaning); new fields keep the version
 * @param eventId stable across retries of one event on the webhook: the deduplication key, also
 *     sent as {@code Idempotency-Key}
 * @param event {@code started}, {@code step_advanced}, {@code paused}, {@code resumed}, {@code
 *     promoted}, ...
 * @param occurredAt the workflow time of the status the event carries
 * @param phase {@code Progressing}, {@code Paused}, {@code RollingBack}, {@code Promoted}, {@code
 *     RolledBack} or {@code Aborted}
 * @param weights version to the percent of traffic it receives: the stable version first
 * @param analysis the last analysis of the candidate, null before the first
 * @param lastAction the last action a person or pipeline took, null when none did
 * @param link the workflow in the Temporal Web UI
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WebhookPayload(
    int schemaVersion,
    String eventId,
    String event,
    Instant occurredAt,
    String workflowId,
    String service,
    String env,
    String strategy,
    String phase,
    int step,
    int totalSteps,
    String stableVersion,
    String candidateVersion,
    Map<String, Integer> weights,
    String message,
    Analysis analysis,
    LastAction lastAction,
    String link) {

  public static final int SCHEMA_VERSION = 1;

  public WebhookPayload {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /**
   * The last analysis of the candidate.
   *
   * @param requests how many requests the analysis was based on
   * @param minimumRequests how many it needed to judge
   * @param detail why it could not judge (inconclusive, error), else null
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Analysis(
      Instant at,
      String verdict,
      long requests,
      long minimumRequests,
      String detail,
      List<Check> checks) {

    public Analysis {
      checks = List.copyOf(checks);
    }
  }

  /**
   * One metric of the analysis: its value, its bound and whether it held.
   *
   * @param value measured, in {@code unit}; null when there was nothing to measure
   * @param atLeast true when the value must be at least {@code threshold}, false when at most
   * @param unit {@code %} or {@code ms}
   * @param window the span the value was measured over, in the spec's notation ({@code 30s})
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Check(
      String metric,
      Double value,
      double threshold,
      boolean atLeast,
      String unit,
      Duration window,
      boolean ok) {}

  /**
   * The last action on the rollout.
   *
   * @param action e.g. {@code pause}, {@code promote}, {@code abort}
   * @param by who: a user name or a pipeline
   * @param reason why, as given; null when none was
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LastAction(String action, String by, String reason, Instant at) {}

  /** The payload of {@code notification}, linking to {@code link}. */
  public static WebhookPayload of(RolloutNotification notification, String link) {
    RolloutStatus s = notification.status();
    return new WebhookPayload(
        SCHEMA_VERSION,
        notification.eventId(),
        notification.event().wire(),
        s.updatedAt(),
        s.workflowId(),
        s.service(),
        s.env(),
        s.strategy(),
        s.phase() == null ? null : s.phase().display(),
        s.step(),
        s.totalSteps(),
        s.stableVersion(),
        s.candidateVersion(),
        weights(s),
        s.message(),
        analysis(s.lastAnalysis()),
        lastAction(s.actions()),
        link);
  }

  private static Map<String, Integer> weights(RolloutStatus s) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    String stable = s.stableVersion() == null ? "stable" : s.stableVersion();
    String candidate = s.candidateVersion() == null ? "candidate" : s.candidateVersion();
    weights.put(stable, 100 - s.weight());
    // One version under both names (nothing left to roll out) serves everything.
    weights.merge(candidate, s.weight(), Integer::sum);
    return weights;
  }

  private static Analysis analysis(AnalysisReport report) {
    if (report == null) {
      return null;
    }
    return new Analysis(
        report.at(),
        report.verdict() == null ? null : report.verdict().wire(),
        report.requests(),
        report.minimumRequests(),
        report.detail(),
        report.checks().stream().map(WebhookPayload::check).toList());
  }

  private static Check check(MetricCheck c) {
    // JSON has no NaN or infinity: a value that is not a number is no measurement.
    Double value = c.value() == null || !Double.isFinite(c.value()) ? null : c.value();
    return new Check(c.metric(), value, c.threshold(), c.atLeast(), c.unit(), c.window(), c.ok());
  }

  private static LastAction lastAction(List<ActionRecord> actions) {
    if (actions.isEmpty()) {
      return null;
    }
    ActionRecord last = actions.get(actions.size() - 1);
    return new LastAction(last.action(), last.by(), last.reason(), last.at());
  }
}
