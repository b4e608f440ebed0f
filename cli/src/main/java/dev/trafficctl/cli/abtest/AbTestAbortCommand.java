package dev.trafficctl.cli.abtest;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.AnswerTimeout;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trafficctl ab-test abort new-ui --reason "..."}. */
@Command(
    name = "abort",
    description = "End a running A/B test without a winner: the control serves all traffic.")
final class AbTestAbortCommand extends AbTestOperation {

  @Option(names = "--reason", required = true, description = "Why, for the test's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Mixin AnswerTimeout answerTimeout;

  @Override
  protected int run(RolloutClient client) throws Exception {
    String workflowId = find(client, false).getExecution().getWorkflowId();
    printStatus(
        client.update(
            workflowId, "abort", new ControlRequest(Actor.of(by), reason), answerTimeout.limit()));
    return ExitCode.OK;
  }
}
