package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic blue-green abort api --reason R}. */
@Command(
    name = "abort",
    description =
        "End the rollout with traffic on the color that was live when it began (--reason"
            + " required).")
final class BlueGreenAbortCommand extends ControlCommand {

  @Override
  String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "abort";
  }

  @Override
  Object request(String actor) {
    if (reason == null || reason.isBlank()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "abort needs --reason: why, for the record");
    }
    return new ControlRequest(actor, reason);
  }
}
