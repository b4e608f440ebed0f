package dev.trafficctl.cli.abtest;

import dev.trafficctl.cli.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code trafficctl ab-test ...}: A/B tests of a service's variants, found by the test's name. */
@Command(
    name = "ab-test",
    description = "A/B tests: variants by weight, judged on users' conversions.",
    subcommands = {
      AbTestCreateCommand.class,
      AbTestResultsCommand.class,
      AbTestConcludeCommand.class,
      AbTestAbortCommand.class,
      AbTestListCommand.class
    })
public final class AbTestCommand {

  @Mixin HelpOption helpOption;
}
