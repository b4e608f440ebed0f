package dev.trafficctl.cli.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.cli.CommandFailure;
import dev.trafficctl.cli.ExitCode;
import dev.trafficctl.workflows.TrafficSearchAttributes;
import org.junit.jupiter.api.Test;

/** The visibility queries the list and ab-test commands send. */
class ListingTest {

  @Test
  void termsAreJoinedAndAbsentFiltersLeftOut() {
    assertEquals(
        "TrafficStrategy IS NOT NULL AND TrafficEnv = 'production'"
            + " AND ExecutionStatus = 'Running'",
        Listing.Query.having(TrafficSearchAttributes.STRATEGY)
            .equal(TrafficSearchAttributes.ENV, "production", "--env")
            .equal(TrafficSearchAttributes.SERVICE, null, "--service")
            .running(true)
            .text());
    assertEquals(
        "TrafficAbTest = 'new-ui'",
        new Listing.Query()
            .equal(TrafficSearchAttributes.AB_TEST, "new-ui", "NAME")
            .running(false)
            .text());
  }

  @Test
  void aValueThatCouldChangeTheQueryIsRefusedInOneLine() {
    CommandFailure failure =
        assertThrows(
            CommandFailure.class,
            () ->
                new Listing.Query()
                    .equal(TrafficSearchAttributes.ENV, "x' OR '1'='1", "--env")
                    .text());
    assertEquals(ExitCode.BAD_INPUT, failure.exitCode());
    assertEquals(
        "--env: \"x' OR '1'='1\" is not a valid name ([a-z0-9][a-z0-9.-]*)", failure.getMessage());
  }
}
