package dev.trafficctl.cli.traffic;

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
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trafficctl traffic list}: rollouts found through their search attributes. */
@Command(name = "list", description = "List rollouts (running ones unless --all).")
final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin HelpOption helpOption;

  @Mixin ConnectionOptions connection;

  @Mixin OutputOptions output;

  @Option(
      names = {"-e", "--env"},
      description = "Only this environment.")
  String env;

  @Option(names = "--service", description = "Only this service.")
  String service;

  @Option(names = "--all", description = "Ended rollouts too (the release history).")
  boolean all;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
  int limit;

  /** The visibility query: trafficctl's rollouts, narrowed by the options. */
  String query() {
    return Listing.Query.having(TrafficSearchAttributes.STRATEGY)
        .equal(TrafficSearchAttributes.ENV, env, "--env")
        .equal(TrafficSearchAttributes.SERVICE, service, "--service")
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
        row.put("workflow_id", m.getExecution().getWorkflowId());
        row.put("run_id", m.getExecution().getRunId());
        row.put("strategy", sa.get(TrafficSearchAttributes.STRATEGY));
        row.put("service", sa.get(TrafficSearchAttributes.SERVICE));
        row.put("env", sa.get(TrafficSearchAttributes.ENV));
        row.put("version", sa.get(TrafficSearchAttributes.VERSION));
        row.put("phase", sa.get(TrafficSearchAttributes.PHASE));
        Long weight = sa.get(TrafficSearchAttributes.WEIGHT);
        if (weight != null) {
          row.put("weight", weight);
        }
        row.put("status", Listing.status(m));
        row.put("started_at", m.getStartTime().toString());
      }
      out.println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      String format = "%-24s %-10s %-10s %-12s %6s  %-10s %s%n";
      out.printf(
          Locale.ROOT,
          format,
          "WORKFLOW",
          "STRATEGY",
          "VERSION",
          "PHASE",
          "WEIGHT",
          "STATUS",
          "STARTED");
      DateTimeFormatter started = DateTimeFormatter.ISO_INSTANT;
      for (WorkflowExecutionMetadata m : rows) {
        SearchAttributes sa = m.getTypedSearchAttributes();
        Long weight = sa.get(TrafficSearchAttributes.WEIGHT);
        out.printf(
            Locale.ROOT,
            format,
            m.getExecution().getWorkflowId(),
            orDash(sa.get(TrafficSearchAttributes.STRATEGY)),
            orDash(sa.get(TrafficSearchAttributes.VERSION)),
            orDash(sa.get(TrafficSearchAttributes.PHASE)),
            weight == null ? "-" : weight + "%",
            Listing.status(m),
            started.format(m.getStartTime()));
      }
      if (rows.isEmpty()) {
        out.println(all ? "no rollouts" : "no running rollouts (--all shows ended ones)");
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
