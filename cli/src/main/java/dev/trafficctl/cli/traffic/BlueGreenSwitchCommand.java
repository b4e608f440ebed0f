package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.AnswerTimeout;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.bluegreen.Colors;
import dev.trafficctl.workflows.control.SwitchRequest;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trafficctl traffic blue-green switch api --from blue --to green [--gradual]}: a manual
 * move. A running blue-green rollout takes it as its {@code switchColors} update; with none
 * running, a rollout starts in manual-switch mode (no waiting for promote).
 */
@Command(
    name = "switch",
    description =
        "Move all traffic from one color to the other, at once or with --gradual; starts a"
            + " rollout for it when none is running.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:switched, or a switch started",
      "2:bad input",
      "3:Temporal or a worker unreachable",
      "4:refused by the rollout, or another strategy owns the service"
    })
final class BlueGreenSwitchCommand extends RolloutCommand {

  @Option(
      names = "--from",
      required = true,
      paramLabel = "COLOR",
      description = "The color serving now: blue or green.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "COLOR",
      description = "The color to serve: blue or green.")
  String to;

  @Option(names = "--gradual", description = "In judged weight steps rather than at once.")
  boolean gradual;

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description =
          "Blue-green document, when a rollout starts (default: traffic/blue-green.yaml beside"
              + " the catalog).")
  Path config;

  @Option(names = "--reason", description = "Why, for the rollout's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Mixin AnswerTimeout answerTimeout;

  /** {@code --from} and {@code --to} name the two different colors, or a one-line failure. */
  void checkColors() {
    for (String[] option : new String[][] {{"--from", from}, {"--to", to}}) {
      if (!Colors.isColor(option[1])) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT, option[0] + ": \"" + option[1] + "\" is not a color (blue, green)");
      }
    }
    if (from.equals(to)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT, "--from and --to are both " + from + ": nothing to switch");
    }
  }

  /** The input of a rollout started for this switch. */
  BlueGreenInput input() {
    BlueGreenOptions options =
        new BlueGreenOptions(Boolean.TRUE, null, null, gradual, null, null, null, to);
    return BlueGreenInputs.build(target, config, options, Actor.of(by), "switch");
  }

  @Override
  protected int run(RolloutClient client) throws InterruptedException {
    checkColors();
    String workflowId = target.workflowId();
    Optional<String> running = client.runningType(workflowId);
    if (running.isPresent()) {
      if (!BlueGreenWorkflow.TYPE.equals(running.get())) {
        throw new CommandFailure(
            ExitCode.REFUSED,
            workflowId
                + " is running a "
                + running.get()
                + " rollout, not a blue-green one; abort it or wait for it to end");
      }
      SwitchRequest request = new SwitchRequest(from, to, gradual, Actor.of(by), reason);
      print(client.update(workflowId, "switchColors", request, answerTimeout.limit()), null);
      return ExitCode.OK;
    }
    BlueGreenInput input = input();
    BlueGreenInputs.refuseUnlessColorsOwnTraffic(target, client.weightsOnRecord(workflowId));
    return startAndFollow(client, input, false, null, status -> false, "blue-green");
  }
}
