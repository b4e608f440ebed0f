package dev.trafficctl.cli.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.Trafficctl;
import dev.trafficctl.workflows.bluegreen.BlueGreenWorkflow;
import dev.trafficctl.workflows.canary.CanaryWorkflow;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * A control command goes only to a rollout of its own strategy: {@code blue-green promote} never
 * promotes a canary, nor the reverse. The decision is tested on its own; no Temporal is needed.
 */
class ControlCommandTest {

  private static final Map<String, Set<String>> COMMANDS =
      Map.of(
          "canary",
          Set.of("deploy", "status", "promote", "pause", "resume", "abort"),
          "blue-green",
          Set.of("deploy", "status", "promote", "switch-to-blue", "rollback", "switch", "abort"));

  private static final BiPredicate<String, String> HAS =
      (group, command) -> COMMANDS.getOrDefault(group, Set.of()).contains(command);

  private static Optional<String> refusal(String expected, String command, String running) {
    return ControlCommand.refusal(
        "production.api", expected, command, Optional.ofNullable(running), HAS);
  }

  @Test
  void blueGreenPromoteOfACanaryIsRefused() {
    assertEquals(
        Optional.of(
            "production.api is a canary, not a blue-green rollout:"
                + " use trafficctl traffic canary promote"),
        refusal(BlueGreenWorkflow.TYPE, "promote", CanaryWorkflow.TYPE));
  }

  @Test
  void canaryAbortOfABlueGreenRolloutIsRefused() {
    assertEquals(
        Optional.of(
            "production.api is a blue-green rollout, not a canary:"
                + " use trafficctl traffic blue-green abort"),
        refusal(CanaryWorkflow.TYPE, "abort", BlueGreenWorkflow.TYPE));
  }

  @Test
  void aCommandTheOtherStrategyLacksPointsAtItsHelp() {
    assertEquals(
        Optional.of(
            "production.api is a blue-green rollout, not a canary:"
                + " see trafficctl traffic blue-green --help"),
        refusal(CanaryWorkflow.TYPE, "pause", BlueGreenWorkflow.TYPE));
    assertEquals(
        Optional.of(
            "production.api is a canary, not a blue-green rollout:"
                + " see trafficctl traffic canary --help"),
        refusal(BlueGreenWorkflow.TYPE, "rollback", CanaryWorkflow.TYPE));
  }

  @Test
  void anUnknownWorkflowTypeIsRefusedToo() {
    assertEquals(
        Optional.of(
            "production.api is a Splitting rollout, not a canary; abort it or wait for it to end"),
        refusal(CanaryWorkflow.TYPE, "promote", "Splitting"));
  }

  @Test
  void theSameTypeOrNoneRunningGoesAhead() {
    assertEquals(Optional.empty(), refusal(CanaryWorkflow.TYPE, "promote", CanaryWorkflow.TYPE));
    assertEquals(
        Optional.empty(), refusal(BlueGreenWorkflow.TYPE, "promote", BlueGreenWorkflow.TYPE));
    // None running: the update itself answers (no rollout has run, or it has ended).
    assertEquals(Optional.empty(), refusal(BlueGreenWorkflow.TYPE, "promote", null));
  }

  /** The command object picocli fills in, without running it. */
  private static ControlCommand parsed(String... args) {
    ParseResult result = Trafficctl.newCommandLine().parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return (ControlCommand) result.commandSpec().userObject();
  }

  @Test
  void theCommandFailsWithExitFourAndOneLine() {
    ControlCommand promote = parsed("traffic", "blue-green", "promote", "api");
    CommandFailure failure =
        assertThrows(
            CommandFailure.class,
            () -> promote.refuseOtherStrategy("production.api", Optional.of(CanaryWorkflow.TYPE)));
    assertEquals(ExitCode.REFUSED, failure.exitCode());
    assertEquals(
        "production.api is a canary, not a blue-green rollout: use trafficctl traffic canary"
            + " promote",
        failure.getMessage());
    // Against the real command tree: canary has no switch-to-blue, blue-green has no resume.
    ControlCommand switchToBlue = parsed("traffic", "blue-green", "switch-to-blue", "api");
    assertEquals(
        "production.api is a canary, not a blue-green rollout: see trafficctl traffic canary"
            + " --help",
        assertThrows(
                CommandFailure.class,
                () ->
                    switchToBlue.refuseOtherStrategy(
                        "production.api", Optional.of(CanaryWorkflow.TYPE)))
            .getMessage());
    ControlCommand resume = parsed("traffic", "canary", "resume", "api");
    assertEquals(
        "production.api is a blue-green rollout, not a canary: see trafficctl traffic blue-green"
            + " --help",
        assertThrows(
                CommandFailure.class,
                () ->
                    resume.refuseOtherStrategy(
                        "production.api", Optional.of(BlueGreenWorkflow.TYPE)))
            .getMessage());
    resume.refuseOtherStrategy("production.api", Optional.of(CanaryWorkflow.TYPE));
    resume.refuseOtherStrategy("production.api", Optional.empty());
  }

  /** Every control command under {@code traffic <group>} addresses that group's workflow type. */
  @Test
  void everyControlCommandKnowsItsWorkflowType() {
    CommandLine traffic = Trafficctl.newCommandLine().getSubcommands().get("traffic");
    Map<String, String> types =
        Map.of("canary", CanaryWorkflow.TYPE, "blue-green", BlueGreenWorkflow.TYPE);
    int seen = 0;
    for (Map.Entry<String, String> group : types.entrySet()) {
      CommandLine strategy = traffic.getSubcommands().get(group.getKey());
      for (Map.Entry<String, CommandLine> sub : strategy.getSubcommands().entrySet()) {
        if (sub.getValue().getCommand() instanceof ControlCommand control) {
          assertEquals(
              group.getValue(), control.workflowType(), group.getKey() + " " + sub.getKey());
          assertTrue(
              COMMANDS.get(group.getKey()).contains(sub.getKey()),
              "the test's command list misses " + group.getKey() + " " + sub.getKey());
          seen++;
        }
      }
    }
    assertEquals(8, seen, "promote/pause/resume/abort and promote/switch-to-blue/rollback/abort");
  }
}
