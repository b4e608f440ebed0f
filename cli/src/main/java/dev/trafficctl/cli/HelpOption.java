package dev.trafficctl.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} for every command. Not inherited from the top command with {@code --version},
 * because {@code deploy --version V} names the candidate version.
 */
public final class HelpOption {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
