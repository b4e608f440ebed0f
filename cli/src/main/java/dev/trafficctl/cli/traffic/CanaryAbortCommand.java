package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary abort api}. */
@Command(
    name = "abort",
    description = "Send all traffic back to the stable version and end the rollout.")
final class CanaryAbortCommand extends RolloutCommand {

  @Option(names = "--reason", description = "Why, for the rollout's record.", required = true)
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Override
  int run(RolloutClient client) {
    print(client.update(target.workflowId(), "abort", new ControlRequest(actor(by), reason)), null);
    return ExitCode.OK;
  }
}
