package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.control.PausableRollout;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A gradual migration: moves {@code rate} points of traffic from one version to another every
 * {@code interval} until the source serves nothing, optionally judging the destination before each
 * move. Workflow type {@code TrafficMigration}, id {@code <env>.<service>}. Pause stops the clock
 * (no move until resumed; the analysis goes on and still acts on a breach); abort puts back the
 * weights in force when the migration began.
 */
@WorkflowInterface
public interface TrafficMigrationWorkflow extends PausableRollout {

  String TYPE = "TrafficMigration";

  @WorkflowMethod(name = TYPE)
  MigrationResult run(MigrationInput input);
}
