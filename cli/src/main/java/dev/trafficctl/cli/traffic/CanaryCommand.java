package dev.trafficctl.cli.traffic;

import picocli.CommandLine.Command;

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
public final class CanaryCommand {}
