package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code trafficctl traffic migration ...}: a gradual migration of a service, started here or by
 * the spec's {@code trafficctl traffic split SERVICE --migrate}. A group of its own because {@code
 * split} takes the service as its first argument, so {@code split pause} would read as a service
 * named pause. {@code status} is the canary's command: every strategy answers the same {@code
 * status} query.
 */
@Command(
    name = "migration",
    description =
        "Start, watch, pause, resume or abort a gradual migration (split --migrate also starts"
            + " one).",
    subcommands = {
      MigrationStartCommand.class,
      CanaryStatusCommand.class,
      MigrationPauseCommand.class,
      MigrationResumeCommand.class,
      MigrationAbortCommand.class
    })
public final class MigrationCommand {

  @Mixin HelpOption helpOption;
}
