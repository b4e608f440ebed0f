package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code trafficctl traffic blue-green ...}: whole switches between two colors with instant
 * rollback. {@code status} is the canary's command: both answer the same {@code status} query.
 */
@Command(
    name = "blue-green",
    description = "Full switches between two environments, with instant rollback.",
    subcommands = {
      BlueGreenDeployCommand.class,
      CanaryStatusCommand.class,
      BlueGreenPromoteCommand.class,
      BlueGreenSwitchToBlueCommand.class,
      BlueGreenRollbackCommand.class,
      BlueGreenSwitchCommand.class,
      BlueGreenAbortCommand.class
    })
public final class BlueGreenCommand {

  @Mixin HelpOption helpOption;
}
