package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.DurationConverter;
import dev.trafficctl.workflows.bluegreen.BlueGreenInput;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic blue-green deploy api --env production [--auto-promote] [--wait]}. */
@Command(
    name = "deploy",
    description =
        "Check the idle color, switch all traffic to it (after promote, or at once with"
            + " --auto-promote), watch it, and keep the previous color ready.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:started (with --wait: switched and watched, the previous color kept ready)",
      "1:with --wait: rolled back or aborted",
      "2:bad input",
      "3:Temporal unreachable",
      "4:another rollout owns the service, or versions other than blue and green have its"
          + " traffic",
      "5:with --wait --timeout: still running when the wait ran out (it goes on)"
    })
final class BlueGreenDeployCommand extends RolloutCommand {

  @Option(
      names = {"-f", "--config"},
      paramLabel = "FILE",
      description = "Blue-green document (default: traffic/blue-green.yaml beside the catalog).")
  Path config;

  @Option(
      names = "--auto-promote",
      description = "Switch as soon as the idle color is healthy (default: the document's).")
  boolean autoPromote;

  @Option(
      names = "--health-threshold",
      paramLabel = "PERCENT",
      description = "Percent of the idle color's health probes that must pass (default 100).")
  Double healthThreshold;

  @Option(
      names = "--monitor-duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to watch the new color after the switch, e.g. 600s.")
  Duration monitorDuration;

  @Option(names = "--gradual", description = "Move the traffic in judged steps (10, 50, 100%%).")
  boolean gradual;

  @Option(
      names = "--version",
      paramLabel = "VERSION",
      description = "What the idle color now runs, for the record.")
  String version;

  @Option(
      names = "--wait",
      description = "Block until switched and watched (exit 0) or rolled back (exit 1).")
  boolean wait;

  @Mixin WaitTimeout timeout;

  @Option(names = "--by", description = "Who starts it (default: the login name).")
  String by;

  /** The rollout's input: catalog, document and these options, checked. */
  BlueGreenInput input() {
    BlueGreenOptions options =
        new BlueGreenOptions(
            autoPromote ? Boolean.TRUE : null,
            healthThreshold,
            monitorDuration,
            gradual,
            null,
            null,
            version,
            null);
    return BlueGreenInputs.build(target, config, options, Actor.of(by), "deploy");
  }

  @Override
  protected int run(RolloutClient client) throws Exception {
    checkWaitTimeout(timeout.limit, wait);
    BlueGreenInput input = input();
    BlueGreenInputs.refuseUnlessColorsOwnTraffic(
        target, client.weightsOnRecord(target.workflowId()));
    return startAndFollow(
        client, input, wait, timeout.limit, BlueGreenDeployCommand::settled, "blue-green");
  }

  /**
   * Whether a running rollout has reached its last stage: the new color is live and was watched,
   * and only the previous color's cleanup delay is left. For {@code --wait} that is success.
   */
  static boolean settled(RolloutStatus status) {
    return status.phase() == Phase.PROGRESSING
        && status.step() > 0
        && status.step() == status.totalSteps();
  }
}
