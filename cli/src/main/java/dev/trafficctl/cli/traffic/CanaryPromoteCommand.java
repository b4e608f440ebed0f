package dev.trafficctl.cli.traffic;

import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.control.PromoteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary promote api [--full]}. */
@Command(
    name = "promote",
    description = "Move a paused canary to its next step, or with --full straight to 100%%.")
final class CanaryPromoteCommand extends ControlCommand {

  @Option(names = "--full", description = "Skip the remaining steps: 100%% now.")
  boolean full;

  @Override
  String workflowType() {
    return CanaryWorkflow.TYPE;
  }

  @Override
  String updateName() {
    return "promote";
  }

  @Override
  Object request(String actor) {
    return new PromoteRequest(full, actor, reason);
  }
}
