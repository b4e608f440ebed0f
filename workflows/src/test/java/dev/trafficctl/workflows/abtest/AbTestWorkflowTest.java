package dev.trafficctl.workflows.abtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.abtest.AbTestSpec;
import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.Comparison;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults.MetricResult;
import dev.trafficctl.workflows.analysis.abtest.Conclusion;
import dev.trafficctl.workflows.analysis.abtest.stats.Verdict;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.control.ControlRequest;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.RolloutStatus;
import dev.trafficctl.workflows.testing.DriftFindings;
import dev.trafficctl.workflows.testing.RunChain;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbTestWorkflowTest {

  private static final String CONVERSION = "{ name: conversion_rate, threshold: 0.05 }";
  private static final String BOUNCE = "{ name: bounce_rate, threshold: -0.02 }";

  @Test
  void aFourteenDayTestWhereBConvertsBetterConcludesBWithABoundedHistory() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(
          200,
          Map.of("conversion_rate", new double[] {10, 13}, "bounce_rate", new double[] {40, 40}));
      WorkflowExecution first =
          h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION, BOUNCE)));

      AbTestResult result = h.result();

      assertEquals(Phase.PROMOTED, result.status().phase(), result.status().message());
      assertEquals("B", result.results().conclusion().winner());
      assertEquals("v2", result.results().conclusion().version());
      assertEquals(AbTestWorkflowImpl.AUTOMATIC, result.results().conclusion().by());
      assertTrue(result.results().conclusion().automatic());
      assertEquals(Map.of("v1", 0, "v2", 100), h.router.current());
      RouteChange split = h.router.changes().get(0);
      assertEquals(Map.of("v1", 50, "v2", 50), split.weights().percent());
      assertEquals(AbTestWorkflow.STICKY_COOKIE, split.rules().stickyCookie());

      // 14 days, one look an hour: 336 looks, the deadline's one included.
      assertEquals(336, result.results().analyses());
      List<Long> lengths =
          RunChain.lengths(h.client(), AbTestHarness.WORKFLOW_ID, first.getRunId());
      assertTrue(lengths.size() >= 336 / AbTestWorkflowImpl.ANALYSES_PER_RUN, "runs: " + lengths);
      for (long length : lengths) {
        assertTrue(length < 1_500, "a run's history grew to " + length + " events: " + lengths);
      }

      // The results after continue-as-new are those of the latest counts: 336 looks of 200 users.
      AbTestResults after = h.latest().results();
      MetricResult conversion = after.metrics().get(0);
      assertEquals(336 * 200, conversion.variants().get(0).users());
      assertEquals(Math.round(336 * 200 * 0.10), conversion.variants().get(0).conversions());
      assertEquals(Math.round(336 * 200 * 0.13), conversion.variants().get(1).conversions());
      assertEquals(0.10, conversion.variants().get(0).rate(), 1e-9);
      Comparison b = conversion.comparisons().get(0);
      assertEquals(Verdict.WINNER, b.verdict());
      assertEquals(0.30, b.relativeLift(), 1e-6);
      assertTrue(b.relativeLiftLower() > 0.2 && b.relativeLiftUpper() < 0.4, b.toString());
      assertTrue(b.pValue() < 1e-6);
      // The last look is past the planned sample (about 57,800 users per variant): all of α was
      // spent, it cannot decide; an early look did, and its verdict stands.
      assertNull(b.boundary());
      assertNotNull(b.decidedAt(), b.toString());
      assertTrue(b.decidedAt() < 100, b.toString());
      assertTrue(Math.abs(b.decidedZ()) > b.decidedBoundary(), b.toString());
      assertEquals("B", conversion.decision());
      assertTrue(
          conversion.summary().contains("decided at analysis " + b.decidedAt()),
          conversion.summary());
      assertEquals(Verdict.INCONCLUSIVE, after.metrics().get(1).comparisons().get(0).verdict());
    }
  }

  @Test
  void aManualConclusionRoutesAllTrafficToTheNamedWinnerAndRecordsWhoAndWhy() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(50, Map.of("conversion_rate", new double[] {10, 10}));
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      h.sleep(Duration.ofHours(3));

      RolloutStatus accepted =
          h.latest().conclude(new ConcludeRequest("B", "bob", "design review chose B"));

      assertEquals("ab-test", accepted.strategy());
      AbTestResult result = h.result();
      assertEquals(Phase.PROMOTED, result.status().phase());
      Conclusion c = result.results().conclusion();
      assertEquals("B", c.winner());
      assertEquals("bob", c.by());
      assertEquals("design review chose B", c.reason());
      assertTrue(!c.automatic());
      assertEquals(Map.of("v1", 0, "v2", 100), h.router.current());
      assertTrue(
          result.status().actions().stream().anyMatch(a -> a.by().equals("bob")),
          result.status().actions().toString());
    }
  }

  @Test
  void concludeWithAnUnknownWinnerOrAutoWhileInconclusiveIsRefused() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(50, Map.of("conversion_rate", new double[] {10, 10}));
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      h.sleep(Duration.ofHours(2));

      WorkflowUpdateException unknown =
          assertThrows(
              WorkflowUpdateException.class,
              () -> h.latest().conclude(new ConcludeRequest("C", "bob", null)));
      assertTrue(rootMessage(unknown).contains("\"C\" is not a variant"), rootMessage(unknown));
      WorkflowUpdateException auto =
          assertThrows(
              WorkflowUpdateException.class,
              () -> h.latest().conclude(new ConcludeRequest(null, "bob", null)));
      assertTrue(rootMessage(auto).contains("--auto refused"), rootMessage(auto));
      assertTrue(rootMessage(auto).contains("too few users"), rootMessage(auto));
      assertEquals(Phase.PROGRESSING, h.latest().status().phase());
      assertNull(h.latest().results().conclusion());
      h.latest().abort(new ControlRequest("bob", "cleanup"));
      h.result();
    }
  }

  @Test
  void concludeAutoIsAcceptedOnceThePrimaryMetricIsDecisive() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(2_000, Map.of("conversion_rate", new double[] {10, 14}));
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      h.sleep(Duration.ofHours(12));

      h.latest().conclude(new ConcludeRequest(null, "carol", null));

      AbTestResult result = h.result();
      assertEquals(Phase.PROMOTED, result.status().phase());
      assertEquals("B", result.results().conclusion().winner());
      assertTrue(result.results().conclusion().automatic());
      assertEquals("carol", result.results().conclusion().by());
    }
  }

  @Test
  void abortReturnsAllTrafficToTheControl() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      h.sleep(Duration.ofHours(1));
      assertThrows(
          WorkflowUpdateException.class, () -> h.latest().abort(new ControlRequest("bob", " ")));

      h.latest().abort(new ControlRequest("bob", "checkout broken in B"));

      AbTestResult result = h.result();
      assertEquals(Phase.ABORTED, result.status().phase());
      assertTrue(result.status().message().contains("checkout broken in B"));
      assertEquals(Map.of("v1", 100, "v2", 0), h.router.current());
      RouteChange last = h.router.changes().get(h.router.changes().size() - 1);
      assertEquals(RoutingRules.NONE, last.rules(), "no targeting, cookie or test headers stay");
    }
  }

  /**
   * Someone moves the split by hand: the next analysis finds it, records it, and puts the test's
   * weights back at once (the weights layer only: the variants' rules stay), as counts taken on
   * another split say nothing about the variants.
   */
  @Test
  void aSplitSetByHandIsFoundAtTheNextAnalysisAndPutBack() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      h.sleep(Duration.ofMinutes(30));
      RoutingRules rules = h.router.rules();
      h.router.setWeightsByHand(Map.of("v1", 90, "v2", 10));

      h.sleep(Duration.ofHours(1));

      RolloutStatus status = h.latest().status();
      assertEquals(
          List.of("the router holds weights {v1=90, v2=10}, not the rollout's {v1=50, v2=50}"),
          DriftFindings.of(status));
      assertEquals(Map.of("v1", 50, "v2", 50), h.router.current());
      RouteChange restored = h.router.lastChange();
      assertTrue(restored.reason().contains("restore the rollout's weights"), restored.reason());
      assertEquals(rules, h.router.rules(), "the variants' rules are not the drift's");
    }
  }

  @Test
  void aRouterThatCannotTellTheVariantsApartRefusesTheTestBeforeRoutingIt() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.router.canOnly(EnumSet.of(RouterCapability.WEIGHTS, RouterCapability.READ_BACK));
      h.start(AbTestHarness.input(AbTestHarness.spec("14d", CONVERSION)));
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, h::result);
      ApplicationFailure refusal = (ApplicationFailure) e.getCause();
      assertEquals(WorkflowFailures.INVALID_INPUT, refusal.getType());
      assertEquals(
          "api (production): the nginx router cannot: sticky_sessions, request_headers",
          refusal.getOriginalMessage());
      assertEquals(List.of(), h.router.changes(), "nothing was routed");
    }
  }

  @Test
  void onlyTargetedSegmentsTakePartAndEachVariantIsToldItsConfigUntilTheWinnerKeepsItsOwn() {
    AbTestSpec spec =
        AbTestHarness.document(
            """
                ab_test:
                  name: new-ui
                  service: api
                  variants:
                    A: { weight: 50, config: { feature_flags: { new_ui: false } } }
                    B: { weight: 50, config: { feature_flags: { new_ui: true, dark.mode: true } } }
                  targeting: { header: X-User-Segment, segments: [premium, standard] }
                  duration: 14d
                  success_metrics: [ { name: conversion_rate, threshold: 0.05 } ]
                """);
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(50, Map.of("conversion_rate", new double[] {10, 10}));
      h.start(AbTestHarness.input(spec));
      h.sleep(Duration.ofHours(2));
      h.latest().conclude(new ConcludeRequest("B", "bob", "ship it"));
      h.result();

      RoutingRules during = h.router.changes().get(0).rules();
      assertEquals(
          new RoutingRules.Segments("X-User-Segment", List.of("premium", "standard"), "v1"),
          during.segments());
      assertEquals(AbTestWorkflow.STICKY_COOKIE, during.stickyCookie());
      assertEquals(
          Map.of(
              "v1",
              Map.of("X-AB-Test", "new-ui", "X-AB-Variant", "A", "X-Feature-New-Ui", "disabled"),
              "v2",
              Map.of(
                  "X-AB-Test",
                  "new-ui",
                  "X-AB-Variant",
                  "B",
                  "X-Feature-New-Ui",
                  "enabled",
                  "X-Feature-Dark-Mode",
                  "enabled")),
          during.versionHeaders());

      RouteChange concluded = h.router.changes().get(h.router.changes().size() - 1);
      assertEquals(Map.of("v1", 0, "v2", 100), concluded.weights().percent());
      assertEquals(
          new RoutingRules(
              List.of(),
              null,
              null,
              null,
              Map.of(
                  "v2", Map.of("X-Feature-New-Ui", "enabled", "X-Feature-Dark-Mode", "enabled"))),
          concluded.rules(),
          "the winner's config stays, the test's targeting and cookie go");
    }
  }

  /**
   * Two variants of one build, told apart by their feature flags alone: the second is served by an
   * alias pool of the same servers while the test runs, so the router can still divide and label
   * their requests; the conclusion routes to the catalog's version with the winner's flags.
   */
  @Test
  void variantsOnOneVersionAreServedByAnAliasPoolUntilTheWinnerKeepsTheVersionWithItsFlags() {
    AbTestSpec spec =
        AbTestHarness.document(
            """
                ab_test:
                  name: new-ui
                  service: api
                  variants:
                    A: { weight: 50, config: { feature_flags: { new_ui: false } } }
                    B: { weight: 50, config: { feature_flags: { new_ui: true } } }
                  duration: 14d
                  success_metrics: [ { name: conversion_rate, threshold: 0.05 } ]
                """);
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(50, Map.of("conversion_rate", new double[] {10, 10}));
      h.start(AbTestHarness.input(spec, "v1", "v1"));
      h.sleep(Duration.ofHours(2));

      RouteChange during = h.router.changes().get(0);
      assertEquals(Map.of("v1", 50, "v1.variant-b", 50), during.weights().percent());
      assertEquals(
          CanaryDocs.target().versions().get("v1"),
          during.target().entry().versions().get("v1.variant-b"),
          "the alias is v1's servers");
      assertEquals(
          Map.of(
              "v1",
              Map.of("X-AB-Test", "new-ui", "X-AB-Variant", "A", "X-Feature-New-Ui", "disabled"),
              "v1.variant-b",
              Map.of("X-AB-Test", "new-ui", "X-AB-Variant", "B", "X-Feature-New-Ui", "enabled")),
          during.rules().versionHeaders());
      RolloutStatus running = h.latest().status();
      assertEquals(50, running.weight(), "B's share");
      assertTrue(running.message().contains("A v1 50%, B v1 50%"), running.message());

      h.latest().conclude(new ConcludeRequest("B", "bob", "flag on"));
      AbTestResult result = h.result();

      RouteChange concluded = h.router.changes().get(h.router.changes().size() - 1);
      assertEquals(CanaryDocs.target(), concluded.target().entry(), "the catalog's versions again");
      assertEquals(Map.of("v1", 100), concluded.weights().percent());
      assertEquals(
          Map.of("v1", Map.of("X-Feature-New-Ui", "enabled")),
          concluded.rules().versionHeaders(),
          "v1 serves everything, with B's flag");
      assertEquals(Phase.PROMOTED, result.status().phase());
      assertEquals(100, result.status().weight(), "B was kept");
      assertEquals("v1", result.results().conclusion().version());
    }
  }

  @Test
  void anInconclusiveTestStopsAtItsEndWithTheSampleItWouldHaveNeeded() {
    try (AbTestHarness h = new AbTestHarness()) {
      h.conversions(100, Map.of("conversion_rate", new double[] {10, 10}));
      h.start(AbTestHarness.input(AbTestHarness.spec("2h", CONVERSION)));

      AbTestResult result = h.result();

      assertEquals(Phase.ABORTED, result.status().phase());
      String message = result.status().message();
      long required = result.results().metrics().get(0).comparisons().get(0).requiredPerVariant();
      assertTrue(required > 10_000, "required " + required);
      assertTrue(message.startsWith("inconclusive after 2h"), message);
      assertTrue(message.contains("needed: about " + required + " users per variant"), message);
      assertNull(result.results().conclusion());
      assertEquals(Map.of("v1", 100, "v2", 0), h.router.current());
    }
  }

  @Test
  void analysisIntervalIsAHundredthOfTheDurationBetweenAMinuteAndAnHour() {
    assertEquals(Duration.ofHours(1), AbTestWorkflowImpl.analysisInterval(Duration.ofDays(14)));
    assertEquals(Duration.ofSeconds(72), AbTestWorkflowImpl.analysisInterval(Duration.ofHours(2)));
    assertEquals(Duration.ofMinutes(1), AbTestWorkflowImpl.analysisInterval(Duration.ofMinutes(5)));
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
