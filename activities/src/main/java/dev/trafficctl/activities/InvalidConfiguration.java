package dev.trafficctl.activities;

import dev.trafficctl.workflows.ports.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/**
 * The failure an adapter raises for configuration it cannot work with: a weight that does not add
 * up, an unknown version, a query Prometheus rejects. It is non-retryable, because retrying cannot
 * fix configuration, and its type is the one every activity option lists as "do not retry".
 */
public final class InvalidConfiguration {

  private InvalidConfiguration() {}

  /** A non-retryable failure of type {@link FailureTypes#INVALID_CONFIGURATION}. */
  public static ApplicationFailure failure(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_CONFIGURATION);
  }

  /**
   * A catalog field's value the worker will not use: {@code api (production): router.nginx.binary
   * "/bin/sh" <problem>}.
   */
  public static ApplicationFailure field(String where, String field, String value, String problem) {
    return failure(where + ": " + field + " \"" + value + "\" " + problem);
  }

  /** As {@link #failure(String)}, keeping what went wrong underneath. */
  public static ApplicationFailure failure(String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        message, FailureTypes.INVALID_CONFIGURATION, cause);
  }
}
