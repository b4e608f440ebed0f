package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.canary.CanaryWorkflow;
import picocli.CommandLine.Command;

/** {@code trafficctl traffic canary abort api}. */
@Command(
    name = "abort",
    description =
        "Send all traffic back to the stable version and end the rollout (--reason required).")
final class CanaryAbortCommand extends AbortCommand {

  @Override
  String workflowType() {
    return CanaryWorkflow.TYPE;
  }
}
