package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.TargetOptions;
import dev.trafficctl.workflows.splitting.CapacityPlan;
import dev.trafficctl.workflows.splitting.ServerAdjustment;
import dev.trafficctl.workflows.splitting.SplitInput;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Capacity-based server weights ({@code traffic split --adjust-weights}): the version weights and
 * rules stay, each server's weight inside its pool follows its measured utilization.
 */
final class CapacityOptions {

  @Option(
      names = "--adjust-weights",
      description =
          "Set per-server weights inside each version's pool from measured utilization, toward"
              + " --target-utilization; the version weights and rules stay.")
  boolean adjust;

  @Option(
      names = "--target-utilization",
      paramLabel = "PCT",
      description = "With --adjust-weights: the utilization wanted on every server (1..100).")
  Integer targetUtilization;

  @Option(
      names = "--dry-run",
      description = "With --adjust-weights: print the plan (server, utilization, old -> new) only.")
  boolean dryRun;

  /** Refuses the capacity options without {@code --adjust-weights}. */
  void refuseWithoutAdjust() {
    if (!adjust && (targetUtilization != null || dryRun)) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          (targetUtilization != null ? "--target-utilization" : "--dry-run")
              + ": only with --adjust-weights");
    }
  }

  /**
   * The checked input for {@code target}, or one line naming the option at fault (exit 2).
   *
   * @param window {@code --window}: what utilization is averaged over; null for the default
   */
  SplitInput input(TargetOptions target, Duration window, String by, String reason) {
    if (targetUtilization == null) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--adjust-weights needs --target-utilization");
    }
    if (targetUtilization < 1 || targetUtilization > 100) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "--target-utilization: " + targetUtilization + " is not a percentage (1..100)");
    }
    if (window != null && window.isZero()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--window: must be longer than 0s");
    }
    SplitInput input =
        SplitInput.capacity(
            target.service(),
            target.env(),
            target.catalogEntry(),
            new CapacityPlan(targetUtilization, window, dryRun),
            by,
            reason);
    Map<String, String> options = new LinkedHashMap<>(SplitInputs.TARGET_OPTIONS);
    options.put("capacity", "--adjust-weights");
    SplitInputs.validate("split", input, options);
    return input;
  }

  /** {@code 127.0.0.1:18081 v1 util 92.0% weight 3 -> 2}. */
  static String line(ServerAdjustment line) {
    return String.format(
        Locale.ROOT,
        "%s %s  util %s  weight %d -> %d",
        line.server(),
        line.version(),
        line.utilization() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", line.utilization()),
        line.oldWeight(),
        line.newWeight());
  }
}
