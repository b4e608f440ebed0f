package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary resume api}. */
@Command(name = "resume", description = "Start the step clock again.")
final class CanaryResumeCommand extends RolloutCommand {

  @Option(names = "--reason", description = "Why, for the rollout's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Override
  int run(RolloutClient client) {
    print(
        client.update(target.workflowId(), "resume", new ControlRequest(actor(by), reason)), null);
    return ExitCode.OK;
  }
}
