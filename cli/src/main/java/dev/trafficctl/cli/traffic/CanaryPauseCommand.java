package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.canary.CanaryWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic canary pause api}. */
@Command(
    name = "pause",
    description = "Stop the step clock; analysis and automatic rollback go on.")
final class CanaryPauseCommand extends ControlCommand {

  @Override
  String workflowType() {
    return CanaryWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "pause";
  }
}
