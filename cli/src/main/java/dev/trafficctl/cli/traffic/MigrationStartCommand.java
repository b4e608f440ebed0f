package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trafficctl traffic migration start api --from v1 --to v2 --rate 10 --interval 2m}: starts
 * a gradual {@code TrafficMigration}; the spec's {@code traffic split api --migrate ...} does the
 * same.
 */
@Command(
    name = "start",
    description = {
      "Move traffic gradually: --rate points from --from to --to every --interval, judging --to"
          + " before each move when --max-error-rate is given, until --from serves nothing.",
      "A migration starts from the weights in force (the spec's --from v1=100 is accepted, its"
          + " percentage ignored)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:started (with --wait: completed)",
      "1:with --wait: rolled back or aborted",
      "2:bad input",
      "3:Temporal unreachable",
      "4:another rollout owns the service",
      "5:--wait ran out of --timeout; the migration goes on"
    })
final class MigrationStartCommand extends RolloutCommand {

  @Mixin MigrationOptions migration;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --max-error-rate: the window the error rate is measured over (1m).")
  Duration window;

  @Option(
      names = "--wait",
      description = "Block until it completes (exit 0) or is rolled back or aborted (exit 1).")
  boolean wait;

  @Mixin WaitTimeout timeout;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Override
  protected int run(RolloutClient client) throws Exception {
    checkWaitTimeout(timeout.limit, wait);
    return startAndFollow(
        client,
        migration.input(target, "start", window, Actor.of(by)),
        wait,
        timeout.limit,
        status -> false,
        "migration");
  }
}
