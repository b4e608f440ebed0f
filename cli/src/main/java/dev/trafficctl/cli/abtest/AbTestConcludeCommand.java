package dev.trafficctl.cli.abtest;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.AnswerTimeout;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.abtest.ConcludeRequest;
import dev.trafficctl.workflows.status.RolloutStatus;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trafficctl ab-test conclude new-ui --winner B | --auto}. */
@Command(
    name = "conclude",
    description =
        "End a running A/B test: the winner's version serves all of the service's traffic.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:concluded (the test routes 100%% to the winner as it ends)",
      "2:bad input",
      "3:Temporal or a worker unreachable",
      "4:refused: no such running test, or --auto while no variant has won"
    })
final class AbTestConcludeCommand extends AbTestOperation {

  @ArgGroup(multiplicity = "1")
  Winner winner;

  /** Exactly one of a named winner and --auto. */
  static final class Winner {
    @Option(names = "--winner", paramLabel = "VARIANT", description = "The winning variant.")
    String variant;

    @Option(
        names = "--auto",
        description = "The winner the results declare; refused while they declare none.")
    boolean auto;
  }

  @Option(names = "--reason", description = "Why, for the test's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Mixin AnswerTimeout answerTimeout;

  @Override
  protected int run(RolloutClient client) throws Exception {
    String workflowId = find(client, false).getExecution().getWorkflowId();
    RolloutStatus status =
        client.update(
            workflowId,
            "conclude",
            new ConcludeRequest(winner.auto ? null : winner.variant, Actor.of(by), reason),
            answerTimeout.limit());
    printStatus(status);
    return ExitCode.OK;
  }
}
