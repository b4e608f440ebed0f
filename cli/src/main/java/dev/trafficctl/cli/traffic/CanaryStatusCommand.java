package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic canary status api --env production [--watch]}. */
@Command(
    name = "status",
    description = "Show a rollout's status: progress, time left, analysis.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:running, or ended promoted",
      "1:ended rolled back, aborted or failed",
      "2:bad input",
      "3:Temporal unreachable",
      "4:no rollout of the service has run"
    })
final class CanaryStatusCommand extends RolloutCommand {

  @Option(
      names = {"-w", "--watch"},
      description =
          "Follow until the rollout ends: redraw every second on a terminal; elsewhere (a pipe,"
              + " a file) print the status again only when it changes.")
  boolean watch;

  @Override
  protected int run(RolloutClient client) throws Exception {
    boolean redraw = watch && !output.json() && System.console() != null;
    List<Object> shown = null;
    while (true) {
      StatusAnswer answer = client.status(target.workflowId());
      List<Object> now =
          Arrays.asList(withoutClock(answer.status()), answer.note(), answer.running());
      if (redraw) {
        out().print("\033[H\033[2J");
        print(answer);
      } else if (!now.equals(shown)) {
        print(answer);
      }
      shown = now;
      if (!answer.running()) {
        return answer.status().phase() == Phase.PROMOTED ? ExitCode.OK : ExitCode.ROLLED_BACK;
      }
      if (!watch) {
        return ExitCode.OK;
      }
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
  }

  /** The status without what changes every second by itself (time left, when it was taken). */
  private static RolloutStatus withoutClock(RolloutStatus s) {
    return s.toBuilder().stepRemaining(null).updatedAt(null).build();
  }
}
