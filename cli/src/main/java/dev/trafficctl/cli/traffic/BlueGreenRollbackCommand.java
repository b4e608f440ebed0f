package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic blue-green rollback api}. */
@Command(
    name = "rollback",
    description = "All traffic back to the color that was live when the rollout began, at once.")
final class BlueGreenRollbackCommand extends ControlCommand {

  @Override
  String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "rollback";
  }
}
