package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic blue-green promote api}. */
@Command(
    name = "promote",
    description = "Switch traffic to the checked idle color of a rollout waiting for promotion.")
final class BlueGreenPromoteCommand extends ControlCommand {

  @Override
  String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "promote";
  }
}
