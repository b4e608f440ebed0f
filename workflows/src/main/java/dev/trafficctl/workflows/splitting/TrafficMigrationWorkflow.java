package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A gradual migration: moves {@code rate} points of traffic from one version to another every
 * {@code interval} until the source serves nothing, optionally judging the destination before each
 * move. Workflow type {@code TrafficMigration}, id {@code <env>.<service>}.
 */
@WorkflowInterface
public interface TrafficMigrationWorkflow {

  String TYPE = "TrafficMigration";

  @WorkflowMethod(name = TYPE)
  MigrationResult run(MigrationInput input);

  @QueryMethod
  RolloutStatus status();

  /** Stops the clock: no move until resumed. The analysis goes on and still acts on a breach. */
  @UpdateMethod
  RolloutStatus pause(ControlRequest request);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(ControlRequest request);

  @UpdateMethod
  RolloutStatus resume(ControlRequest request);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(ControlRequest request);

  /** Puts back the weights in force when the migration began, and ends it. Needs a reason. */
  @UpdateMethod
  RolloutStatus abort(ControlRequest request);

  @UpdateValidatorMethod(updateName = "abort")
  void validateAbort(ControlRequest request);
}
