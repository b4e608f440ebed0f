package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic migration abort api --reason R}. */
@Command(
    name = "abort",
    description =
        "Put back the weights in force when the migration began and end it (--reason required).")
final class MigrationAbortCommand extends AbortCommand {

  @Override
  String workflowType() {
    return TrafficMigrationWorkflow.TYPE;
  }
}
