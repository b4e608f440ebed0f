package dev.trafficctl.workflows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.InvalidConfigException;
import dev.trafficctl.config.Validatable;
import io.temporal.failure.ApplicationFailure;

/** How workflow code reports input it cannot use, and reads the cause of a failure. */
public final class WorkflowFailures {

  /** Failure type of a workflow whose input cannot be used; never retried. */
  public static final String INVALID_INPUT = "InvalidInput";

  /**
   * Failure type of a workflow that the state of things refuses to run (the router's weights belong
   * to another strategy, ...): its input is fine, but retrying cannot help until a person changes
   * that state. Never retried.
   */
  public static final String REFUSED = "Refused";

  private WorkflowFailures() {}

  /** A non-retryable failure of type {@link #INVALID_INPUT}. */
  public static ApplicationFailure invalidInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, INVALID_INPUT);
  }

  /** A non-retryable failure of type {@link #REFUSED}. */
  public static ApplicationFailure refused(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, REFUSED);
  }

  /** Validates a workflow's input as the CLI does, failing with its first problem. */
  public static void validate(Validatable input) {
    if (input == null) {
      throw invalidInput("<input>: missing input");
    }
    try {
      DocumentLoader.validate("<input>", input);
    } catch (InvalidConfigException e) {
      throw invalidInput(e.firstLine());
    }
  }

  /** The innermost cause's own message: what the router or metrics source said. */
  public static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
