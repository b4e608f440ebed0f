package dev.trafficctl.cli;

import picocli.CommandLine.Option;

/** The {@code --output} option every command shares. */
public final class OutputOptions {

  @Option(
      names = {"-o", "--output"},
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  OutputFormat format = OutputFormat.table;

  public boolean json() {
    return format == OutputFormat.json;
  }
}
