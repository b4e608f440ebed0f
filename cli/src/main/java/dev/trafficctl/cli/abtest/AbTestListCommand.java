package dev.trafficctl.cli.abtest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.cli.HelpOption;
import dev.trafficctl.cli.OutputOptions;
import dev.trafficctl.cli.rollout.Listing;
import dev.trafficctl.cli.rollout.RolloutClient;
import dev.trafficctl.client.ConnectionOptions;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trafficctl ab-test list [--env production] [--all]}. */
@Command(name = "list", description = "List A/B tests (running ones unless --all).")
final class AbTestListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin ConnectionOptions connection;

  @Mixin OutputOptions output;

  @Option(
      names = {"-e", "--env"},
      description = "Only this environment.")
  String env;

  @Option(names = "--all", description = "Ended tests too.")
  boolean all;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
  int limit;

  /** The visibility query: the A/B tests, narrowed by the options. */
  String query() {
    return Listing.Query.having(TrafficSearchAttributes.AB_TEST)
        .equal(TrafficSearchAttributes.ENV, env, "--env")
        .running(!all)
        .text();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<WorkflowExecutionMetadata> rows;
    try (RolloutClient client = new RolloutClient(connection.resolve(System.getenv()))) {
      rows = client.list(query(), limit);
    }
    if (output.json()) {
      ArrayNode array = JsonMapping.json().createArrayNode();
      for (WorkflowExecutionMetadata m : rows) {
        SearchAttributes sa = m.getTypedSearchAttributes();
        ObjectNode row = array.addObject();
        row.put("name", sa.get(TrafficSearchAttributes.AB_TEST));
        row.put("workflow_id", m.getExecution().getWorkflowId());
        row.put("run_id", m.getExecution().getRunId());
        row.put("service", sa.get(TrafficSearchAttributes.SERVICE));
        row.put("env", sa.get(TrafficSearchAttributes.ENV));
        row.put("phase", sa.get(TrafficSearchAttributes.PHASE));
        row.put("status", Listing.status(m));
        row.put("started_at", m.getStartTime().toString());
      }
      out.println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      String format = "%-20s %-24s %-12s %-10s %s%n";
      out.printf(Locale.ROOT, format, "TEST", "WORKFLOW", "PHASE", "STATUS", "STARTED");
      for (WorkflowExecutionMetadata m : rows) {
        SearchAttributes sa = m.getTypedSearchAttributes();
        String phase = sa.get(TrafficSearchAttributes.PHASE);
        out.printf(
            Locale.ROOT,
            format,
            sa.get(TrafficSearchAttributes.AB_TEST),
            m.getExecution().getWorkflowId(),
            phase == null ? "-" : phase,
            Listing.status(m),
            m.getStartTime());
      }
      if (rows.isEmpty()) {
        out.println(all ? "no A/B tests" : "no running A/B tests (--all shows ended ones)");
      }
    }
    out.flush();
    return ExitCode.OK;
  }
}
