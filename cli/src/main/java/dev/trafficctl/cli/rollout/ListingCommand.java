package dev.trafficctl.cli.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.config.JsonMapping;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A {@code list} command: the workflows a visibility query finds, as a table for people or, with
 * {@code --output json}, an array for pipelines. Subclasses say what to query and what each row
 * shows.
 */
public abstract class ListingCommand extends TemporalCommand {

  @Option(
      names = {"-e", "--env"},
      description = "Only this environment.")
  protected String env;

  @Option(names = "--limit", defaultValue = "50", description = "At most this many (default 50).")
  int limit;

  /** The visibility query, narrowed by the command's options. */
  protected abstract String query();

  /** One workflow as a JSON object. */
  protected abstract void jsonRow(
      ObjectNode row, WorkflowExecutionMetadata m, SearchAttributes attributes);

  /** The table's header line. */
  protected abstract void tableHeader(PrintWriter out);

  /** One workflow as a table line. */
  protected abstract void tableRow(
      PrintWriter out, WorkflowExecutionMetadata m, SearchAttributes attributes);

  /** What the table says when the query found nothing. */
  protected abstract String nothingFound();

  @Override
  protected final int run(RolloutClient client) throws Exception {
    PrintWriter out = out();
    List<WorkflowExecutionMetadata> rows = client.list(query(), limit);
    if (output.json()) {
      ArrayNode array = JsonMapping.json().createArrayNode();
      for (WorkflowExecutionMetadata m : rows) {
        jsonRow(array.addObject(), m, m.getTypedSearchAttributes());
      }
      out.println(JsonMapping.json().writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      tableHeader(out);
      for (WorkflowExecutionMetadata m : rows) {
        tableRow(out, m, m.getTypedSearchAttributes());
      }
      if (rows.isEmpty()) {
        out.println(nothingFound());
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  /** {@code s}, or a dash where the table has nothing to show. */
  protected static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
