package dev.trafficctl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.trafficctl.workflows.abtest.AbTestAnalysis;
import dev.trafficctl.workflows.abtest.AbTestInput;
import dev.trafficctl.workflows.abtest.AbTestResults;
import dev.trafficctl.workflows.abtest.AbTestState;
import dev.trafficctl.workflows.abtest.ConcludeRequest;
import dev.trafficctl.workflows.abtest.Conclusion;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.canary.AnalysisCriteria;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.CanaryState;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.CapacityPlan;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.MigrationState;
import dev.trafficctl.workflows.splitting.OnBreach;
import dev.trafficctl.workflows.splitting.SplitInput;
import dev.trafficctl.workflows.status.ActionRecord;
import dev.trafficctl.workflows.status.AnalysisReport;
import dev.trafficctl.workflows.status.MetricCheck;
import dev.trafficctl.workflows.status.NotificationFailure;
import dev.trafficctl.workflows.status.Phase;
import dev.trafficctl.workflows.status.StepRecord;
import dev.trafficctl.workflows.status.Verdict;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workflow inputs and activity arguments survive Temporal's data converter unchanged. A derived
 * method that looks like a getter ({@code isEmpty()}) once slipped into the JSON and made the input
 * unreadable on the other side: this catches that for every record listed.
 */
class WireRoundTripTest {

  private static final DataConverter CONVERTER = TrafficDataConverter.get();

  private static <T> void roundTrips(T value, Class<T> type) {
    T back = CONVERTER.fromPayloads(0, CONVERTER.toPayloads(value), type, type);
    assertEquals(value, back, type.getSimpleName());
  }

  @Test
  void routingRulesAndTheInputsCarryingThem() {
    RoutingRules rules =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("tiers", "X-User-Type", List.of("v1", "v2"))),
            "trafficctl_version",
            new RoutingRules.FeatureFlag("new_ui", 25, "trafficctl_client", "X-Feature-New-Ui"));
    roundTrips(rules, RoutingRules.class);
    roundTrips(RoutingRules.NONE, RoutingRules.class);
    RouteTarget target = new RouteTarget("api", "production", CanaryDocs.target());
    roundTrips(
        new RouteChange(target, Map.of("v1", 70, "v2", 30), "test", rules), RouteChange.class);
    roundTrips(
        new SplitInput(
            "api", "production", CanaryDocs.target(), Map.of("v1", 70, "v2", 30), "a", null, rules),
        SplitInput.class);
    roundTrips(
        new MigrationInput(
            "api",
            "production",
            CanaryDocs.target(),
            "v1",
            "v2",
            10,
            Duration.ofMinutes(2),
            new AnalysisCriteria(null, null, 1.0, Duration.ofMinutes(1), null, 95.0, null, 50L),
            OnBreach.SOURCE,
            "a"),
        MigrationInput.class);
    Instant at = Instant.parse("2024-11-27T09:00:00Z");
    roundTrips(
        new MigrationInput(
            "api",
            "production",
            CanaryDocs.target(),
            "v1",
            "v2",
            10,
            Duration.ofMinutes(2),
            null,
            OnBreach.LAST_GOOD,
            "a",
            new MigrationState(
                Map.of("v1", 100),
                Map.of("v1", 90, "v2", 10),
                Map.of("v1", 100, "v2", 0),
                1,
                10,
                60_000,
                true,
                Phase.PAUSED,
                "paused by bob",
                at,
                null,
                List.of(new StepRecord(1, 10, at, "done", Duration.ZERO, "v1 90%, v2 10%")),
                List.of(new ActionRecord(at, "pause", "bob", null)))),
        MigrationInput.class);
  }

  private static <T> T fromJson(String json, Class<T> type) {
    return CONVERTER.fromPayload(
        Payload.newBuilder()
            .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
            .setData(ByteString.copyFromUtf8(json))
            .build(),
        type,
        type);
  }

  /**
   * What a pipeline may leave out of an input or an update's argument takes its default, booleans
   * and plain numbers included; what it sends is kept.
   */
  @Test
  void fieldsAPipelineLeavesOutTakeTheirDefaults() {
    assertEquals(
        new PromoteRequest(false, "ci", null), fromJson("{\"by\":\"ci\"}", PromoteRequest.class));
    assertEquals(
        new PromoteRequest(true, "ci", null),
        fromJson("{\"full\":true,\"by\":\"ci\"}", PromoteRequest.class));
    assertEquals(
        new SwitchRequest("blue", "green", false, "ci", null),
        fromJson("{\"from\":\"blue\",\"to\":\"green\",\"by\":\"ci\"}", SwitchRequest.class));
    assertEquals(BlueGreenOptions.defaults(), fromJson("{}", BlueGreenOptions.class));
    assertEquals(
        new CapacityPlan(70, CapacityPlan.DEFAULT_WINDOW, false),
        fromJson("{\"target_utilization\":70}", CapacityPlan.class));
    AnalysisCriteria criteria =
        fromJson(
            "{\"error_rate_at_most\":1.0,\"error_rate_window\":\"1m\"}", AnalysisCriteria.class);
    assertEquals(
        new AnalysisCriteria(null, null, 1.0, Duration.ofMinutes(1), null, 95.0, null, 50L),
        criteria);
    assertEquals(
        new AnalysisCriteria(null, null, 1.0, Duration.ofMinutes(1), null, 99.0, null, 10L),
        fromJson(
            "{\"error_rate_at_most\":1.0,\"error_rate_window\":\"1m\",\"latency_percentile\":99,"
                + "\"minimum_requests\":10}",
            AnalysisCriteria.class));
  }

  @Test
  void conversionQueriesAndCounts() {
    roundTrips(
        new ConversionQuery(
            "frontend",
            "production",
            CanaryDocs.target().metrics(),
            "new-ui",
            "conversion_rate",
            List.of("A", "B")),
        ConversionQuery.class);
    roundTrips(
        new ConversionCounts(
            "conversion_rate",
            Map.of(
                "A", new ConversionCounts.UserCounts(1000, 100),
                "B", new ConversionCounts.UserCounts(990, 120))),
        ConversionCounts.class);
  }

  @Test
  void aCanaryInputCarryingItsStateIntoTheNextRun() {
    Instant at = Instant.parse("2024-11-27T09:00:00Z");
    CanaryInput first = CanaryDocs.fast().input();
    AnalysisReport analysis =
        new AnalysisReport(
            at,
            Verdict.PASS,
            List.of(
                new MetricCheck("success_rate", 99.5, 99, true, "%", Duration.ofMinutes(1), true)),
            120,
            50,
            null);
    CanaryState state =
        new CanaryState(
            "v1",
            1,
            10,
            90_000,
            null,
            true,
            false,
            "paused by alice: \"weekend\"",
            Phase.PAUSED,
            "paused by alice: \"weekend\"",
            at,
            analysis,
            List.of(new StepRecord(1, 10, at, "paused", Duration.ofSeconds(90), "by alice")),
            List.of(new ActionRecord(at, "pause", "alice", "w")),
            0,
            1,
            0,
            at.plus(Duration.ofMinutes(1)),
            false,
            3,
            List.of(new NotificationFailure(at, "paused", "slack", "channel_not_found")));
    roundTrips(
        new CanaryInput(
            first.service(),
            first.env(),
            first.version(),
            first.canary(),
            first.target(),
            first.requestedBy(),
            state),
        CanaryInput.class);
    roundTrips(first, CanaryInput.class);
  }

  @Test
  void abTestInputStateAndResults() {
    dev.trafficctl.config.abtest.AbTestSpec spec =
        new dev.trafficctl.config.DocumentLoader()
            .parse(
                "new-ui.yaml",
                """
                ab_test:
                  name: new-ui
                  service: api
                  variants: { A: { weight: 50 }, B: { weight: 50 } }
                  duration: "14d"
                  success_metrics: [ { name: conversion_rate, threshold: 0.05 } ]
                """,
                dev.trafficctl.config.abtest.AbTestDocument.class)
            .abTest();
    Map<String, String> versions = new java.util.LinkedHashMap<>();
    versions.put("A", "v1");
    versions.put("B", "v2");
    Map<String, Map<String, ConversionCounts.UserCounts>> counts =
        Map.of(
            "conversion_rate",
            Map.of(
                "A", new ConversionCounts.UserCounts(20_000, 2_000),
                "B", new ConversionCounts.UserCounts(20_000, 2_600)));
    Instant at = Instant.parse("2024-11-27T09:00:00Z");
    AbTestState state =
        new AbTestState(
            at,
            at.plus(Duration.ofDays(14)),
            50,
            at.plus(Duration.ofHours(51)),
            at.plus(Duration.ofHours(50)),
            counts,
            null,
            List.of(new ActionRecord(at, "start", "alice", null)),
            Map.of("v1", 50, "v2", 50));
    roundTrips(
        new AbTestInput(
            "new-ui", "api", "production", CanaryDocs.target(), spec, versions, "alice", state),
        AbTestInput.class);
    // No counts yet: an infinite boundary and undefined rates must travel as nulls.
    for (Map<String, Map<String, ConversionCounts.UserCounts>> c :
        List.of(counts, Map.<String, Map<String, ConversionCounts.UserCounts>>of())) {
      roundTrips(
          new AbTestResults(
              "new-ui",
              "A",
              at,
              at.plus(Duration.ofDays(14)),
              50,
              at,
              null,
              AbTestAnalysis.judge(spec, versions, c),
              new Conclusion(at, "B", "v2", "bob", "why", false)),
          AbTestResults.class);
    }
    roundTrips(new ConcludeRequest(null, "bob", null), ConcludeRequest.class);
  }
}
