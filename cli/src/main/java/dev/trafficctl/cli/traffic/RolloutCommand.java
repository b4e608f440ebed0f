package dev.trafficctl.cli.traffic;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.TargetOptions;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusAnswer;
import dev.trafficctl.cli.rollout.StatusView;
import dev.trafficctl.cli.rollout.TemporalCommand;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.workflows.RolloutInput;
import dev.trafficctl.workflows.TaskQueues;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Predicate;
import picocli.CommandLine.Mixin;

/** What every command on one service's rollout shares: the target, the connection, output. */
abstract class RolloutCommand extends TemporalCommand {

  @Mixin TargetOptions target;

  /** Prints a status in the chosen format. */
  void print(StatusAnswer answer) {
    print(answer.status(), answer.note());
  }

  void print(RolloutStatus status, String note) {
    if (output.json()) {
      printJson(status);
    } else {
      out().print(new StatusView(ZoneId.systemDefault()).render(status, Instant.now(), note));
    }
    out().flush();
    if (note != null && output.json()) {
      err().println("trafficctl: " + note);
      err().flush();
    }
  }

  /** Prints {@code value} as the one JSON mapping writes it, indented. */
  void printJson(Object value) {
    try {
      out().println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where progress lines go: stdout, or stderr when stdout carries JSON. */
  PrintWriter progress() {
    return output.json() ? err() : out();
  }

  /**
   * Starts {@code input}'s rollout and reports it: a line for people, a warning when no worker
   * polls (the rollout waits for one), and without {@code wait} under {@code --output json} its
   * ids. With {@code wait}, follows it as {@link #waitForOutcome} does.
   *
   * @param group the command group that reaches the rollout ({@code canary}, ...), for hints
   */
  int startAndFollow(
      RolloutClient client,
      RolloutInput input,
      boolean wait,
      Duration timeout,
      Predicate<RolloutStatus> settled,
      String group)
      throws InterruptedException {
    String workflowId = input.workflowId();
    String runId = client.start(input);
    if (!output.json() || !wait) {
      progress().printf("started %s (run %s): %s%n", workflowId, runId, input.summary());
      progress().flush();
    }
    if (!client.workerPolling()) {
      err()
          .printf(
              "trafficctl: warning: no worker is polling %s; %s waits until one starts"
                  + " (bin/trafficctl-worker)%n",
              TaskQueues.ROLLOUTS, workflowId);
      err().flush();
    }
    String host = input.routeTarget().routerHost();
    if (host != null && !client.routerHostPolled(host)) {
      err()
          .printf(
              "trafficctl: warning: no worker serves router host %s (%s); %s waits at its first"
                  + " router change until one starts there (bin/trafficctl-worker --router-host"
                  + " %s)%n",
              host, TaskQueues.routerHost(host), workflowId, host);
      err().flush();
    }
    if (!wait) {
      if (output.json()) {
        out().printf("{\"workflow_id\":\"%s\",\"run_id\":\"%s\"}%n", workflowId, runId);
        out().flush();
      }
      return ExitCode.OK;
    }
    return waitForOutcome(client, workflowId, settled, timeout, group);
  }

  /**
   * Refuses a {@code --timeout} that bounds nothing (no {@code --wait}) or nothing at all (zero),
   * before anything is started.
   */
  static void checkWaitTimeout(Duration timeout, boolean wait) {
    if (timeout == null) {
      return;
    }
    if (!wait) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--timeout: only with --wait");
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new CommandFailure(ExitCode.BAD_INPUT, "--timeout: must be longer than 0");
    }
  }

  /**
   * Follows a rollout, printing each change of phase, weight or message, until it ends or {@code
   * settled} says it has reached its goal while still running. Exit 0 when settled or promoted, 1
   * when it ended rolled back or aborted; a workflow that failed to run is a one-line failure. With
   * a {@code timeout}, a rollout still going when it runs out is printed as it stands and left
   * running, with exit 5: a pipeline's wait is bounded even when the rollout waits for a person (a
   * gate, or a breach with automatic rollback off).
   *
   * @param strategy the command group that reaches the rollout ({@code canary}, ...), for the hint
   */
  int waitForOutcome(
      RolloutClient client,
      String workflowId,
      Predicate<RolloutStatus> settled,
      Duration timeout,
      String strategy)
      throws InterruptedException {
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    String last = "";
    while (true) {
      StatusAnswer answer = client.status(workflowId);
      RolloutStatus status = answer.status();
      // What the rollout says it does, and the weight it holds: a step number beside the message
      // would disagree with it while the router moves to the next step.
      String now = status.phase().display() + " " + status.weight() + "% - " + status.message();
      if (!now.equals(last)) {
        progress().printf("%s: %s%n", workflowId, now);
        progress().flush();
        last = now;
      }
      if (answer.running() && settled.test(status)) {
        print(answer);
        return ExitCode.OK;
      }
      if (!answer.running()) {
        print(answer);
        if (answer.failure() != null) {
          throw new CommandFailure(
              answer.failure().exitCode(),
              workflowId + ": the workflow " + answer.failure().message());
        }
        return status.phase() == Phase.PROMOTED ? ExitCode.OK : ExitCode.ROLLED_BACK;
      }
      if (System.nanoTime() - deadline >= 0) {
        print(answer);
        throw new CommandFailure(
            ExitCode.STILL_RUNNING,
            String.format(
                "%s: still %s after %s; it goes on (trafficctl traffic %s status|abort %s --env"
                    + " %s)",
                workflowId,
                status.phase().display(),
                SpecDurations.format(timeout),
                strategy,
                target.service(),
                target.env()));
      }
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    }
  }
}
