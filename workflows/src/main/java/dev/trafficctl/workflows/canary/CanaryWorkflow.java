package dev.trafficctl.workflows.canary;

import dev.trafficctl.workflows.control.PausableRollout;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A canary rollout: moves a candidate version's share of traffic through the document's steps,
 * judging every step on metrics, and ends Promoted, RolledBack or Aborted with all traffic on a
 * healthy version. Workflow type {@code Canary}, id {@code <env>.<service>}. Pause stops the step
 * clock (analysis and automatic rollback go on); abort sends all traffic back to the stable
 * version.
 */
@WorkflowInterface
public interface CanaryWorkflow extends PausableRollout {

  String TYPE = "Canary";

  /** The strategy's name in statuses, search attributes and notifications. */
  String STRATEGY = "canary";

  @WorkflowMethod(name = TYPE)
  CanaryResult run(CanaryInput input);

  /** To the next step (only while paused), or with {@code full} straight to 100%. */
  @UpdateMethod
  RolloutStatus promote(PromoteRequest request);

  @UpdateValidatorMethod(updateName = "promote")
  void validatePromote(PromoteRequest request);
}
