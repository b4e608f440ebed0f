package dev.trafficctl.cli.rollout;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.config.Validator;
import io.temporal.client.WorkflowExecutionMetadata;
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

  /** The execution's status as a word: running, completed, failed, terminated, ... */
  public static String status(WorkflowExecutionMetadata m) {
    return m.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
  }
}
