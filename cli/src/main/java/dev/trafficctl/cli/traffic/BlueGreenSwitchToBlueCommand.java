package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic blue-green switch-to-blue api}. */
@Command(
    name = "switch-to-blue",
    description = "All traffic to blue at once, in any phase; the rollout ends.")
final class BlueGreenSwitchToBlueCommand extends ControlCommand {

  @Override
  String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "switchToBlue";
  }
}
