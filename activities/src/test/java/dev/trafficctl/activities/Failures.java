package dev.trafficctl.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.ports.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.function.Executable;

/** Assertions about the failures activities raise. */
public final class Failures {

  private Failures() {}

  /** Asserts a non-retryable invalid-configuration failure; returns its message. */
  public static String assertInvalidConfiguration(Executable call) {
    ApplicationFailure failure = assertThrows(ApplicationFailure.class, call);
    assertEquals(FailureTypes.INVALID_CONFIGURATION, failure.getType());
    assertTrue(failure.isNonRetryable(), "non-retryable");
    return failure.getOriginalMessage();
  }
}
