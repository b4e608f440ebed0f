package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trafficctl traffic canary ...}: gradual traffic shifting with analysis. */
@Command(
    name = "canary",
    description = "Gradual traffic shifting for safe deployments.",
    subcommands = {
      CanaryDeployCommand.class,
      CanaryStatusCommand.class,
      CanaryPromoteCommand.class,
      CanaryPauseCommand.class,
      CanaryResumeCommand.class,
      CanaryAbortCommand.class
    })
public final class CanaryCommand {

  @Mixin HelpOption helpOption;
}
