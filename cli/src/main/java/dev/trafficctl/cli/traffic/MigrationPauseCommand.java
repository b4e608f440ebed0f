package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic migration pause api}. */
@Command(
    name = "pause",
    description =
        "Stop the migration's clock: no move until resumed; analysis and its breach"
            + " action go on.")
final class MigrationPauseCommand extends ControlCommand {

  @Override
  String workflowType() {
    return TrafficMigrationWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "pause";
  }
}
