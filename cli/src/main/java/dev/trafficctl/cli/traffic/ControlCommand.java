package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import picocli.CommandLine.Option;

/**
 * A command that sends one update to a running rollout and prints the status it answers with:
 * promote, pause, resume, abort. Who and why go into the rollout's record.
 */
abstract class ControlCommand extends RolloutCommand {

  @Option(names = "--reason", description = "Why, for the rollout's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  /** The update's name in the workflow's interface. */
  abstract String updateName();

  /** The update's argument. */
  abstract Object request(String actor);

  @Override
  final int run(RolloutClient client) {
    print(client.update(target.workflowId(), updateName(), request(actor(by))), null);
    return ExitCode.OK;
  }
}
