package dev.trafficctl.cli.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.cli.rollout.Listing;
import dev.trafficctl.cli.rollout.ListingCommand;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl traffic list}: rollouts found through their search attributes. */
@Command(name = "list", description = "List rollouts (running ones unless --all).")
final class ListCommand extends ListingCommand {

  private static final String FORMAT = "%-24s %-10s %-10s %-12s %6s  %-10s %s%n";

  @Option(names = "--service", description = "Only this service.")
  String service;

  @Option(names = "--all", description = "Ended rollouts too (the release history).")
  boolean all;

  /** The visibility query: trafficctl's rollouts, narrowed by the options. */
  @Override
  protected String query() {
    return Listing.Query.having(TrafficSearchAttributes.STRATEGY)
        .equal(TrafficSearchAttributes.ENV, env, "--env")
        .equal(TrafficSearchAttributes.SERVICE, service, "--service")
        .running(!all)
        .text();
  }

  @Override
  protected void jsonRow(ObjectNode row, WorkflowExecutionMetadata m, SearchAttributes sa) {
    row.put("workflow_id", m.getExecution().getWorkflowId());
    row.put("run_id", m.getExecution().getRunId());
    row.put("strategy", sa.get(TrafficSearchAttributes.STRATEGY));
    row.put("service", sa.get(TrafficSearchAttributes.SERVICE));
    row.put("env", sa.get(TrafficSearchAttributes.ENV));
    row.put("version", sa.get(TrafficSearchAttributes.VERSION));
    row.put("phase", Listing.phase(m, sa.get(TrafficSearchAttributes.PHASE)));
    Long weight = sa.get(TrafficSearchAttributes.WEIGHT);
    if (weight != null) {
      row.put("weight", weight);
    }
    row.put("status", Listing.status(m));
    row.put("started_at", m.getStartTime().toString());
  }

  @Override
  protected void tableHeader(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        FORMAT,
        "WORKFLOW",
        "STRATEGY",
        "VERSION",
        "PHASE",
        "WEIGHT",
        "STATUS",
        "STARTED");
  }

  @Override
  protected void tableRow(PrintWriter out, WorkflowExecutionMetadata m, SearchAttributes sa) {
    Long weight = sa.get(TrafficSearchAttributes.WEIGHT);
    out.printf(
        Locale.ROOT,
        FORMAT,
        m.getExecution().getWorkflowId(),
        orDash(sa.get(TrafficSearchAttributes.STRATEGY)),
        orDash(sa.get(TrafficSearchAttributes.VERSION)),
        orDash(Listing.phase(m, sa.get(TrafficSearchAttributes.PHASE))),
        weight == null ? "-" : weight + "%",
        Listing.status(m),
        DateTimeFormatter.ISO_INSTANT.format(m.getStartTime()));
  }

  @Override
  protected String nothingFound() {
    return all ? "no rollouts" : "no running rollouts (--all shows ended ones)";
  }
}
