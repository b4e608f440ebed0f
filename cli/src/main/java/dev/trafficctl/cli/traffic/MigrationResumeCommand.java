package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic migration resume api}. */
@Command(name = "resume", description = "Start the migration's clock again.")
final class MigrationResumeCommand extends ControlCommand {

  @Override
  String workflowType() {
    return TrafficMigrationWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "resume";
  }
}
