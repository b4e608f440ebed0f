package dev.trafficctl.cli.abtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.Listing;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.cli.rollout.StatusView;
import dev.trafficctl.cli.rollout.TemporalCommand;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import dev.trafficctl.workflows.status.RolloutStatus;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A command on one A/B test, named as in its document: the test is found through its {@code
 * TrafficAbTest} search attribute, so people need not know which service or environment it runs on
 * (its workflow id is {@code <env>.<service>}).
 */
abstract class AbTestOperation extends TemporalCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The A/B test's name.")
  String name;

  @Option(
      names = {"-e", "--env"},
      description = "The test's environment, when tests of this name run in several.")
  String env;

  /**
   * The test's run: the running one, else (when {@code endedToo}) the latest that ended. Exit 4
   * when none is found, or when several run and {@code --env} does not choose.
   */
  WorkflowExecutionMetadata find(RolloutClient client, boolean endedToo) {
    List<WorkflowExecutionMetadata> running = client.list(query(true), 10);
    if (running.size() > 1) {
      List<String> ids = new ArrayList<>();
      running.forEach(m -> ids.add(m.getExecution().getWorkflowId()));
      // Sorted, so the same tests give the same line whatever order visibility lists them in.
      Collections.sort(ids);
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          "A/B test " + name + " runs as " + String.join(" and ", ids) + "; choose one with --env");
    }
    if (!running.isEmpty()) {
      return running.get(0);
    }
    if (endedToo) {
      List<WorkflowExecutionMetadata> ended = client.list(query(false), 1);
      if (!ended.isEmpty()) {
        return ended.get(0);
      }
    }
    throw new CommandFailure(
        ExitCode.REFUSED,
        "no "
            + (endedToo ? "" : "running ")
            + "A/B test named "
            + name
            + (env == null ? "" : " in " + env)
            + " (trafficctl ab-test list --all shows them)");
  }

  /** The visibility query for this test; names are checked, so they cannot change its meaning. */
  String query(boolean runningOnly) {
    return new Listing.Query()
        .equal(TrafficSearchAttributes.AB_TEST, name, "NAME")
        .equal(TrafficSearchAttributes.ENV, env, "--env")
        .running(runningOnly)
        .text();
  }

  /** The status an update answered with, in the chosen format. */
  void printStatus(RolloutStatus status) throws JsonProcessingException {
    if (output.json()) {
      out().println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(status));
    } else {
      out().print(new StatusView(ZoneId.systemDefault()).render(status, Instant.now(), null));
    }
    out().flush();
  }
}
