package dev.trafficctl.cli;

import dev.trafficctl.cli.abtest.AbTestCommand;
import dev.trafficctl.cli.traffic.TrafficCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code trafficctl}: starts, watches, promotes, pauses and aborts rollouts. */
@Command(
    name = "trafficctl",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Rollouts that cannot be lost: canary, blue-green, traffic splits and A/B tests"
            + " as durable Temporal workflows.",
    subcommands = {
      ValidateCommand.class,
      TrafficCommand.class,
      AbTestCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Trafficctl {

  public static void main(String[] args) {
    System.exit(CommandBranch.forArgs(args).execute(args));
  }

  /** The command tree with trafficctl's exit codes and one-line error reporting. */
  public static CommandLine newCommandLine() {
    return withOneLineErrors(new CommandLine(new Trafficctl()));
  }

  /** {@code cli} (and the commands under it) reporting errors in one line with an exit code. */
  static CommandLine withOneLineErrors(CommandLine cli) {
    cli.setParameterExceptionHandler(new OneLineErrors());
    cli.setExecutionExceptionHandler(new OneLineErrors());
    return cli;
  }
}
