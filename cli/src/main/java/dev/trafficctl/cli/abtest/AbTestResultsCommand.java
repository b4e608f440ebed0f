package dev.trafficctl.cli.abtest;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import io.temporal.client.WorkflowExecutionMetadata;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl ab-test results new-ui [--metrics conversion_rate,bounce_rate]}. */
@Command(
    name = "results",
    description = "Show an A/B test's results: the running test's, else the latest ended one's.")
final class AbTestResultsCommand extends AbTestOperation {

  @Option(
      names = "--metrics",
      split = ",",
      paramLabel = "METRIC",
      description = "Only these success metrics (default: all).")
  List<String> metrics = new ArrayList<>();

  @Override
  protected int run(RolloutClient client) throws Exception {
    WorkflowExecutionMetadata test = find(client, true);
    String workflowId = test.getExecution().getWorkflowId();
    AbTestResults results = client.abTestResults(test);
    List<String> known = results.metrics().stream().map(MetricResult::metric).toList();
    // Before the first analysis there are no results to choose from, and nothing to refuse.
    for (String metric : known.isEmpty() ? List.<String>of() : metrics) {
      if (!known.contains(metric)) {
        throw new CommandFailure(
            ExitCode.BAD_INPUT,
            "--metrics: "
                + name
                + " has no success metric \""
                + metric
                + "\" (it has: "
                + String.join(", ", known)
                + ")");
      }
    }
    List<MetricResult> chosen = AbTestResultsView.select(results, metrics);
    if (output.json()) {
      AbTestResults shown =
          new AbTestResults(
              results.name(),
              results.control(),
              results.startedAt(),
              results.deadline(),
              results.analyses(),
              results.analysedAt(),
              results.metricsError(),
              chosen,
              results.conclusion());
      out().println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(shown));
    } else {
      out().print(AbTestResultsView.render(results, workflowId, chosen));
    }
    out().flush();
    return ExitCode.OK;
  }
}
