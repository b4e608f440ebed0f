package dev.trafficctl.cli.rollout;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.config.Validator;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the commands that list or find rollouts through visibility queries share. */
public final class Listing {

  private Listing() {}

  /**
   * {@code value}, checked to be a name before it goes into a visibility query's text, so it cannot
   * change the query's meaning; exit 2 naming {@code what} otherwise.
   */
  public static String checkedName(String value, String what) {
    if (!Validator.NAME.matcher(value).matches()) {
      throw new CommandFailure(
          ExitCode.BAD_INPUT,
          what + ": \"" + value + "\" is not a valid name (" + Validator.NAME_RULE + ")");
    }
    return value;
  }

  /**
   * A visibility query: terms joined by {@code AND}. Values are checked with {@link #checkedName}
   * before they go into its text.
   */
  public static final class Query {

    private final List<String> terms = new ArrayList<>();

    /** {@code attribute IS NOT NULL}: the executions that set it. */
    public static Query having(SearchAttributeKey<String> attribute) {
      Query query = new Query();
      query.terms.add(attribute.getName() + " IS NOT NULL");
      return query;
    }

    /** {@code attribute = 'value'}; nothing when {@code value} is null (no filter given). */
    public Query equal(SearchAttributeKey<String> attribute, String value, String what) {
      if (value != null) {
        terms.add(attribute.getName() + " = '" + checkedName(value, what) + "'");
      }
      return this;
    }

    /** Only running executions, when {@code running}. */
    public Query running(boolean running) {
      if (running) {
        terms.add("ExecutionStatus = 'Running'");
      }
      return this;
    }

    public String text() {
      return String.join(" AND ", terms);
    }
  }

  /** The execution's status as a word: running, completed, failed, terminated, ... */
  public static String status(WorkflowExecutionMetadata m) {
    return m.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The phase to show for an execution: the one it published while it ran or when it completed;
   * {@code Failed} for one that closed otherwise (failed, terminated, timed out), whose published
   * phase is where it was before.
   */
  public static String phase(WorkflowExecutionMetadata m, String published) {
    return switch (m.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING,
          WORKFLOW_EXECUTION_STATUS_COMPLETED,
          WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW ->
          published;
      default -> Phase.FAILED.display();
    };
  }
}
