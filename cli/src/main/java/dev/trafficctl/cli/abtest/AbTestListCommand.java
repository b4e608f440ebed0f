package dev.trafficctl.cli.abtest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.cli.rollout.Listing;
import dev.trafficctl.cli.rollout.ListingCommand;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trafficctl ab-test list [--env production] [--all]}. */
@Command(name = "list", description = "List A/B tests (running ones unless --all).")
final class AbTestListCommand extends ListingCommand {

  private static final String FORMAT = "%-20s %-24s %-12s %-10s %s%n";

  @Option(names = "--all", description = "Ended tests too.")
  boolean all;

  /** The visibility query: the A/B tests, narrowed by the options. */
  @Override
  protected String query() {
    return Listing.Query.having(TrafficSearchAttributes.AB_TEST)
        .equal(TrafficSearchAttributes.ENV, env, "--env")
        .running(!all)
        .text();
  }

  @Override
  protected void jsonRow(ObjectNode row, WorkflowExecutionMetadata m, SearchAttributes sa) {
    row.put("name", sa.get(TrafficSearchAttributes.AB_TEST));
    row.put("workflow_id", m.getExecution().getWorkflowId());
    row.put("run_id", m.getExecution().getRunId());
    row.put("service", sa.get(TrafficSearchAttributes.SERVICE));
    row.put("env", sa.get(TrafficSearchAttributes.ENV));
    row.put("phase", sa.get(TrafficSearchAttributes.PHASE));
    row.put("status", Listing.status(m));
    row.put("started_at", m.getStartTime().toString());
  }

  @Override
  protected void tableHeader(PrintWriter out) {
    out.printf(Locale.ROOT, FORMAT, "TEST", "WORKFLOW", "PHASE", "STATUS", "STARTED");
  }

  @Override
  protected void tableRow(PrintWriter out, WorkflowExecutionMetadata m, SearchAttributes sa) {
    out.printf(
        Locale.ROOT,
        FORMAT,
        sa.get(TrafficSearchAttributes.AB_TEST),
        m.getExecution().getWorkflowId(),
        orDash(sa.get(TrafficSearchAttributes.PHASE)),
        Listing.status(m),
        m.getStartTime());
  }

  @Override
  protected String nothingFound() {
    return all ? "no A/B tests" : "no running A/B tests (--all shows ended ones)";
  }
}
