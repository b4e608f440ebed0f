package dev.trafficctl.workflows;

import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Keeps what people see of a running rollout current from workflow code: the search attributes the
 * Web UI and {@code traffic list} filter on, the status in the memo, which the CLI reads when no
 * worker answers the status query, and the Web UI's current details.
 */
public final class RolloutVisibility {

  /** The memo key holding the last status. */
  public static final String MEMO_STATUS = "status";

  private RolloutVisibility() {}

  /**
   * Search attributes and memo from {@code status}; {@code version} is what is rolled out, {@code
   * kind} what the workflow is.
   */
  public static void publish(RolloutStatus status, String version, TrafficKind kind) {
    Workflow.upsertTypedSearchAttributes(
        TrafficSearchAttributes.KIND.valueSet(kind.wire()),
        TrafficSearchAttributes.SERVICE.valueSet(status.service()),
        TrafficSearchAttributes.ENV.valueSet(status.env()),
        TrafficSearchAttributes.STRATEGY.valueSet(status.strategy()),
        TrafficSearchAttributes.PHASE.valueSet(status.phase().display()),
        TrafficSearchAttributes.WEIGHT.valueSet((long) status.weight()),
        TrafficSearchAttributes.VERSION.valueSet(version));
    publishMemo(status);
  }

  /** The memo only: for changes that move no search attribute (an analysis, an action). */
  public static void publishMemo(RolloutStatus status) {
    Workflow.upsertMemo(Map.of(MEMO_STATUS, status));
    Workflow.setCurrentDetails(currentDetails(status));
  }

  /**
   * What the Web UI shows as the workflow's current details (Markdown): the phase and what the
   * rollout is doing or waiting for, then where its traffic stands. Kept in the workflow, not in
   * history, and read through a query, so it costs no events.
   */
  static String currentDetails(RolloutStatus status) {
    StringBuilder details = new StringBuilder();
    details.append("**").append(status.phase().display()).append("**");
    if (status.message() != null && !status.message().isBlank()) {
      details.append(": ").append(status.message());
    }
    details
        .append("\n\n")
        .append(status.strategy())
        .append(" of ")
        .append(status.service())
        .append(" in ")
        .append(status.env());
    if (status.stableVersion() != null || status.candidateVersion() != null) {
      details
          .append(", ")
          .append(status.stableVersion() == null ? "?" : status.stableVersion())
          .append(" -> ")
          .append(status.candidateVersion() == null ? "?" : status.candidateVersion());
    }
    details.append(", weight ").append(status.weight()).append('%');
    if (status.totalSteps() > 0) {
      details.append(", step ").append(status.step()).append('/').append(status.totalSteps());
    }
    return details.toString();
  }
}
