package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.canary.CanaryWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic canary resume api}. */
@Command(name = "resume", description = "Start the step clock again.")
final class CanaryResumeCommand extends ControlCommand {

  @Override
  String workflowType() {
    return CanaryWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "resume";
  }
}
