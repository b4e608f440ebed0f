package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary status api --env production [--watch]}. */
@Command(name = "status", description = "Show a rollout's status: progress, time left, analysis.")
final class CanaryStatusCommand extends RolloutCommand {

  @Option(
      names = {"-w", "--watch"},
      description = "Redraw every second until the rollout ends.")
  boolean watch;

  @Override
  protected int run(RolloutClient client) throws Exception {
    boolean redraw = watch && !output.json() && System.console() != null;
    while (true) {
      StatusAnswer answer = client.status(target.workflowId());
      if (redraw) {
        out().print("\033[H\033[2J");
      }
      print(answer);
      if (!watch || !answer.running()) {
        return ExitCode.OK;
      }
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
  }
}
