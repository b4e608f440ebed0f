package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Trafficctl;
import picocli.CommandLine.ParseResult;

/** An {@code abort} command as picocli fills it in from its arguments, without running it. */
final class AbortCommands {

  private AbortCommands() {}

  /** {@code trafficctl traffic <group> abort args...}, parsed. */
  static AbortCommand parsed(String group, String... args) {
    String[] line = new String[args.length + 2];
    line[0] = "traffic";
    line[1] = group;
    System.arraycopy(args, 0, line, 2, args.length);
    ParseResult result = Trafficctl.newCommandLine().parseArgs(line);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return (AbortCommand) result.commandSpec().userObject();
  }
}
