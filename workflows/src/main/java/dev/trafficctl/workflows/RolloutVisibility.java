package dev.trafficctl.workflows;

import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Keeps what people see of a running rollout current from workflow code: the search attributes the
 * Web UI and {@code traffic list} filter on, and the status in the memo, which the CLI reads when
 * no worker answers the status query.
 */
public final class RolloutVisibility {

  /** The memo key holding the last status. */
  public static final String MEMO_STATUS = "status";

  private RolloutVisibility() {}

  /** Search attributes and memo from {@code status}; {@code version} is what is rolled out. */
  public static void publish(RolloutStatus status, String version) {
    Workflow.upsertTypedSearchAttributes(
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
  }
}
