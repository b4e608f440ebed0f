package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.Actor;
import dev.trafficctl.cli.AnswerTimeout;
import dev.trafficctl.cli.CommandBranch;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.EndedRollouts;
import dev.trafficctl.cli.rollout.LatestRun;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.splitting.TrafficMigrationWorkflow;
import dev.trafficctl.workflows.splitting.TrafficSplitWorkflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that sends one update to a running rollout and prints the status it answers with:
 * promote, pause, resume, abort. Who and why go into the rollout's record.
 *
 * <p>The canary and blue-green rollouts of a service share one workflow id and name some updates
 * alike ({@code promote}, {@code abort}), so before sending one the command checks that the rollout
 * running there is of the strategy it was typed for: {@code blue-green promote} must not promote a
 * canary.
 */
abstract class ControlCommand extends RolloutCommand {

  /** Workflow type to the strategy's command group, as typed after {@code trafficctl traffic}. */
  private static final Map<String, String> GROUPS =
      Map.of(
          CanaryWorkflow.TYPE,
          "canary",
          BlueGreenWorkflow.TYPE,
          "blue-green",
          TrafficMigrationWorkflow.TYPE,
          "migration");

  /** Workflow type to the strategy as a noun in a sentence. */
  private static final Map<String, String> NOUNS =
      Map.of(
          CanaryWorkflow.TYPE,
          "a canary",
          BlueGreenWorkflow.TYPE,
          "a blue-green rollout",
          TrafficMigrationWorkflow.TYPE,
          "a migration",
          TrafficSplitWorkflow.TYPE,
          "a split");

  @Option(names = "--reason", description = "Why, for the rollout's record.")
  String reason;

  @Option(names = "--by", description = "Who (default: the login name).")
  String by;

  @Mixin AnswerTimeout answerTimeout;

  /**
   * The workflow type this command addresses: {@link CanaryWorkflow#TYPE}, {@link
   * BlueGreenWorkflow#TYPE} or {@link TrafficMigrationWorkflow#TYPE}.
   */
  abstract String workflowType();

  /** The update's name in the workflow's interface. */
  abstract String updateName();

  /** The update's argument: who and why, unless the update takes more. */
  Object request(String actor) {
    return new ControlRequest(actor, reason);
  }

  @Override
  protected final int run(RolloutClient client) {
    String workflowId = target.workflowId();
    Object request = request(Actor.of(by));
    Duration answerWithin = answerTimeout.limit();
    LatestRun latest =
        client
            .latest(workflowId)
            .orElseThrow(() -> new CommandFailure(ExitCode.REFUSED, neverRan(workflowId)));
    if (!latest.running()) {
      throw new CommandFailure(
          ExitCode.REFUSED,
          EndedRollouts.describe(latest.ended(), ZoneId.systemDefault(), Instant.now())
              + "; nothing to "
              + spec.name());
    }
    refuseOtherStrategy(workflowId, Optional.of(latest.workflowType()));
    print(client.update(workflowId, updateName(), request, answerWithin), null);
    return ExitCode.OK;
  }

  /** No run under {@code workflowId} ever: say so, and how to start one of this strategy. */
  private String neverRan(String workflowId) {
    String group = GROUPS.get(workflowType());
    return "no rollout "
        + workflowId
        + " has run"
        + (group == null || !hasCommand(group, "deploy")
            ? ""
            : "; start one with trafficctl traffic " + group + " deploy");
  }

  /**
   * Fails (exit 4, one line) when the rollout {@code running} under {@code workflowId} is not of
   * the strategy this command was typed for.
   */
  void refuseOtherStrategy(String workflowId, Optional<String> running) {
    Optional<String> why =
        refusal(workflowId, workflowType(), spec.name(), running, this::hasCommand);
    if (why.isPresent()) {
      throw new CommandFailure(ExitCode.REFUSED, why.get());
    }
  }

  /** Whether {@code trafficctl traffic <group> <command>} exists. */
  private boolean hasCommand(String group, String command) {
    return CommandBranch.exists("traffic", group, command);
  }

  /**
   * Why an update typed as {@code trafficctl traffic <group of expected> <command>} must not go to
   * the rollout running under {@code workflowId}, or empty when it may. A rollout of another type
   * is refused, pointing at the same command of that rollout's strategy when {@code hasCommand}
   * (group, command) says it has one; none running is left to the update, which says so in its own
   * words.
   */
  static Optional<String> refusal(
      String workflowId,
      String expected,
      String command,
      Optional<String> running,
      BiPredicate<String, String> hasCommand) {
    if (running.isEmpty() || running.get().equals(expected)) {
      return Optional.empty();
    }
    String type = running.get();
    String is = NOUNS.getOrDefault(type, "a " + type + " rollout");
    String group = GROUPS.get(type);
    return Optional.of(
        workflowId
            + " is "
            + is
            + ", not "
            + NOUNS.get(expected)
            + (group == null
                ? "; abort it or wait for it to end"
                : hasCommand.test(group, command)
                    ? ": use trafficctl traffic " + group + " " + command
                    : ": see trafficctl traffic " + group + " --help"));
  }
}
