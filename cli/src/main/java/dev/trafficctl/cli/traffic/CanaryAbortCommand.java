package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.control.ControlRequest;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic canary abort api}. */
@Command(
    name = "abort",
    description =
        "Send all traffic back to the stable version and end the rollout (--reason required).")
final class CanaryAbortCommand extends ControlCommand {

  @Override
  String workflowType() {
    return CanaryWorkflow.TYPE;
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
