package dev.trafficctl.cli.traffic;

import picocli.CommandLine.Command;

/** {@code trafficctl traffic ...}: rollouts of a service's traffic. */
@Command(
    name = "traffic",
    description = "Canary, blue-green and split rollouts of a service's traffic.",
    subcommands = {CanaryCommand.class, ListCommand.class})
public final class TrafficCommand {}
