package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * A rollout whose clock a person can stop: pause holds it where it is (analysis and automatic
 * rollback go on), resume lets it go on.
 */
public interface PausableRollout extends AbortableRollout {

  @UpdateMethod
  RolloutStatus pause(ControlRequest request);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(ControlRequest request);

  @UpdateMethod
  RolloutStatus resume(ControlRequest request);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(ControlRequest request);
}
