package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic migration abort api --reason R}. */
@Command(
    name = "abort",
    description =
        "Put back the weights in force when the migration began and end it (--reason required).")
final class MigrationAbortCommand extends ControlCommand {

  @Override
  String workflowType() {
    return TrafficMigrationWorkflow.TYPE;
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
