package dev.trafficctl.workflows.canary;

import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A canary rollout: moves a candidate version's share of traffic through the document's steps,
 * judging every step on metrics, and ends Promoted, RolledBack or Aborted with all traffic on a
 * healthy version. Workflow type {@code Canary}, id {@code <env>.<service>}.
 *
 * <p>Control is through updates, so the caller learns at once whether its request was taken: a
 * validator rejects requests the rollout's state does not allow, with the reason.
 */
@WorkflowInterface
public interface CanaryWorkflow {

  String TYPE = "Canary";

  @WorkflowMethod(name = TYPE)
  CanaryResult run(CanaryInput input);

  @QueryMethod
  RolloutStatus status();

  /** To the next step (only while paused), or with {@code full} straight to 100%. */
  @UpdateMethod
  RolloutStatus promote(PromoteRequest request);

  @UpdateValidatorMethod(updateName = "promote")
  void validatePromote(PromoteRequest request);

  /** Stops the step clock; analysis and automatic rollback go on. */
  @UpdateMethod
  RolloutStatus pause(ControlRequest request);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(ControlRequest request);

  @UpdateMethod
  RolloutStatus resume(ControlRequest request);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(ControlRequest request);

  /** Sends all traffic back to the stable version and ends Aborted. A reason is required. */
  @UpdateMethod
  RolloutStatus abort(ControlRequest request);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(ControlRequest request);
}
