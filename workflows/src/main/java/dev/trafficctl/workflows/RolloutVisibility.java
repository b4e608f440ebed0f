package dev.trafficctl.workflows;

import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.status.StepRecord;
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
   * What the Web UI shows as the workflow's current details (Markdown): a first line saying where
   * the rollout stands, or how it ended and where its traffic stood then ({@code **Aborted** at 20%
   * on v2 (step 1/2): aborted by alice: "bad build"; v1 serves 100%}), then what it rolls out and
   * where its traffic stands now. Kept in the workflow, not in history, and read through a query,
   * so it costs no events; it is current whenever the phase changes, since every change of phase
   * publishes.
   */
  static String currentDetails(RolloutStatus status) {
    StringBuilder details = new StringBuilder();
    details.append("**").append(status.phase().display()).append("**");
    StepRecord last =
        status.steps().isEmpty() ? null : status.steps().get(status.steps().size() - 1);
    if (stopped(status.phase()) && last != null && status.candidateVersion() != null) {
      // Traffic is back on the stable version by now: say where it stood when the rollout stopped.
      details
          .append(" at ")
          .append(last.weight())
          .append("% on ")
          .append(status.candidateVersion());
      if (status.totalSteps() > 0) {
        details.append(" (step ").append(last.number()).append('/').append(status.totalSteps());
        details.append(')');
      }
    }
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

  /** Whether the rollout stopped short of its end: traffic went back to the stable version. */
  private static boolean stopped(Phase phase) {
    return phase == Phase.ABORTED || phase == Phase.ROLLED_BACK || phase == Phase.ROLLING_BACK;
  }
}
