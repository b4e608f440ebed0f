package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.control.PromoteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary promote api [--full]}. */
@Command(
    name = "promote",
    description = "Move a paused canary to its next step, or with --full straight to 100%.")
final class CanaryPromoteCommand extends RolloutCommand {

  @Option(names = "--full", description = "Skip the remaining steps: 100% now.")
  boolean full;

  @Option(names = "--reason", description = "Why, for the rollout's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Override
  int run(RolloutClient client) {
    print(
        client.update(target.workflowId(), "promote", new PromoteRequest(full, actor(by), reason)),
        null);
    return ExitCode.OK;
  }
}
