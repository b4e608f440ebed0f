package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * A rollout a person can stop: abort puts traffic back where the rollout found it and ends it
 * Aborted. An update, so the caller learns at once whether it was taken; the validator refuses an
 * abort without a reason, or of a rollout that is not running.
 */
public interface AbortableRollout extends RolloutStatusQuery {

  @UpdateMethod
  RolloutStatus abort(ControlRequest request);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(ControlRequest request);
}
