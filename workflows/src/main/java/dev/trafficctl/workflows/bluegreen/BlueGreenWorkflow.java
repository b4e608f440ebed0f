package dev.trafficctl.workflows.bluegreen;

import dev.trafficctl.workflows.control.AbortableRollout;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A blue-green rollout: checks that the idle color is ready and healthy, switches all traffic to it
 * (at once, or in judged weight steps), watches it, and keeps the previous color ready for an
 * instant switch back until the cleanup delay has passed. Workflow type {@code BlueGreen}, id
 * {@code <env>.<service>}, so it never runs beside a canary of the same service. Abort stops the
 * rollout with traffic on the previous live color.
 *
 * <p>Every control is an update: the caller learns at once whether the rollout took it, and the
 * validators say why not.
 */
@WorkflowInterface
public interface BlueGreenWorkflow extends AbortableRollout {

  String TYPE = "BlueGreen";

  @WorkflowMethod(name = TYPE)
  BlueGreenResult run(BlueGreenInput input);

  /** Switches to the checked idle color (only while waiting for promotion). */
  @UpdateMethod
  RolloutStatus promote(ControlRequest request);

  @UpdateValidatorMethod(updateName = "promote")
  void validatePromote(ControlRequest request);

  /**
   * All traffic to blue at once, in any phase. When blue was live, the rollout ends there (rolled
   * back); when blue is the color being rolled out, the remaining checks are skipped and the switch
   * is watched and cleaned up as any other.
   */
  @UpdateMethod
  RolloutStatus switchToBlue(ControlRequest request);

  @UpdateValidatorMethod(updateName = "switchToBlue")
  void validateSwitchToBlue(ControlRequest request);

  /** All traffic back to the color that was live when the rollout began, at once. */
  @UpdateMethod
  RolloutStatus rollback(ControlRequest request);

  @UpdateValidatorMethod(updateName = "rollback")
  void validateRollback(ControlRequest request);

  /** A manual move between the colors, at once or gradually. */
  @UpdateMethod
  RolloutStatus switchColors(SwitchRequest request);

  @UpdateValidatorMethod(updateName = "switchColors")
  void validateSwitchColors(SwitchRequest request);
}
