package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic blue-green abort api --reason R}. */
@Command(
    name = "abort",
    description =
        "End the rollout with traffic on the color that was live when it began (--reason"
            + " required).")
final class BlueGreenAbortCommand extends AbortCommand {

  @Override
  String workflowType() {
    return BlueGreenWorkflow.TYPE;
  }
}
