package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trafficctl traffic ...}: rollouts of a service's traffic. */
@Command(
    name = "traffic",
    description = "Canary, blue-green, split and migration rollouts of a service's traffic.",
    subcommands = {
      CanaryCommand.class,
      BlueGreenCommand.class,
      SplitCommand.class,
      MigrationCommand.class,
      ListCommand.class
    })
public final class TrafficCommand {

  @Mixin HelpOption helpOption;
}
