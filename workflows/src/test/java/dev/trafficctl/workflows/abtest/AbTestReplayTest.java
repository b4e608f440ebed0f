package dev.trafficctl.workflows.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.testing.RecordedHistories;
import io.temporal.api.enums.v1.EventType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays the recorded A/B test histories: {@code histories/ab-test-concluded.json}, a test that
 * read conversions for a while, refused nothing and was concluded by hand, and {@code
 * histories/ab-test-flags-aborted.json}, a test of two variants on one version (an alias pool) that
 * was aborted. Re-record with {@code -Dtrafficctl.recordHistories=true}.
 */
class AbTestReplayTest {

  private static final String FIXTURE = "ab-test-concluded";
  private static final String FLAGS_FIXTURE = "ab-test-flags-aborted";

  @BeforeAll
  static void recordWhenAsked() throws Exception {
    if (!RecordedHistories.recording()) {
      return;
    }
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(
          500,
          Map.of("conversion_rate", new double[] {10, 12}, "bounce_rate", new double[] {40, 38}));
      h.start(
          AbTestHarness.input(
              AbTestHarness.spec(
                  "2h",
                  "{ name: conversion_rate, threshold: 0.05 }",
                  "{ name: bounce_rate, threshold: -0.02 }")));
      h.sleep(Duration.ofMinutes(10));
      h.latest().conclude(new ConcludeRequest("B", "bob", "enough seen"));
      assertEquals(Phase.PROMOTED, h.result().status().phase());
      RecordedHistories.record(FIXTURE, h.client(), AbTestHarness.WORKFLOW_ID);
    }
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(500, Map.of("conversion_rate", new double[] {10, 11}));
      h.start(
          AbTestHarness.input(
              AbTestHarness.spec("2h", "{ name: conversion_rate, threshold: 0.05 }"), "v1", "v1"));
      h.sleep(Duration.ofMinutes(10));
      h.latest().abort(new ControlRequest("bob", "flag breaks checkout"));
      assertEquals(Phase.ABORTED, h.result().status().phase());
      RecordedHistories.record(FLAGS_FIXTURE, h.client(), AbTestHarness.WORKFLOW_ID);
    }
  }

  @Test
  void theRecordedHistoriesReplay() throws Exception {
    for (String fixture : new String[] {FIXTURE, FLAGS_FIXTURE}) {
      RecordedHistories.replay(
          fixture, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, AbTestWorkflowImpl.class);
    }
  }
}
