package dev.trafficctl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.abtest.AbTestInput;
import dev.trafficctl.workflows.abtest.ConcludeRequest;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import dev.trafficctl.workflows.analysis.abtest.AbTestAnalysis;
import dev.trafficctl.workflows.analysis.abtest.AbTestResults;
import dev.trafficctl.workflows.analysis.abtest.Conclusion;
import dev.trafficctl.workflows.analysis.abtest.stats.Proportion;
import dev.trafficctl.workflows.analysis.abtest.stats.SequentialJudge;
import dev.trafficctl.workflows.analysis.abtest.stats.SequentialLooks;
import dev.trafficctl.workflows.bluegreen.BlueGreenOptions;
import dev.trafficctl.workflows.canary.CanaryInput;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.control.PromoteRequest;
import dev.trafficctl.workflows.control.SwitchRequest;
import dev.trafficctl.workflows.ports.ConversionCounts;
import dev.trafficctl.workflows.ports.ConversionQuery;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.splitting.CapacityPlan;
import dev.trafficctl.workflows.splitting.MigrationInput;
import dev.trafficctl.workflows.splitting.OnBreach;
import dev.trafficctl.workflows.splitting.SplitInput;
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
  private static final ObjectMapper MAPPER = JsonMapping.json();

  private static <T> void roundTrips(T value, Class<T> type) {
    T back = CONVERTER.fromPayloads(0, CONVERTER.toPayloads(value), type, type);
    assertEquals(value, back, type.getSimpleName());
  }

  @Test
  void routingRulesAndTheInputsCarryingThem() throws Exception {
    RoutingRules rules =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("tiers", "X-User-Type", List.of("v1", "v2"))),
            "trafficctl_version",
            new RoutingRules.FeatureFlag("new_ui", 25, "trafficctl_client", "X-Feature-New-Ui"));
    roundTrips(rules, RoutingRules.class);
    roundTrips(RoutingRules.NONE, RoutingRules.class);
    RouteTarget target = new RouteTarget("api", "production", CanaryDocs.target());
    roundTrips(
        RouteChange.by(target, "production.api", 1733, "test")
            .withWeights(Map.of("v1", 70, "v2", 30))
            .withRules(rules),
        RouteChange.class);
    roundTrips(
        RouteChange.by(target, "production.api", 1734, "capacity")
            .withServerWeights(Map.of("127.0.0.1:18081", 3)),
        RouteChange.class);
    roundTrips(
        new RouteState(Map.of("v1", 70, "v2", 30), rules, Map.of("127.0.0.1:18081", 3))
            .with(RouteChange.by(target, "production.api", 1735, "again").withRules(rules))
            .withCapabilities(java.util.EnumSet.allOf(RouterCapability.class)),
        RouteState.class);
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
    carries(
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
            "a"),
        """
        {"start": {"v1": 100}, "current": {"v1": 90, "v2": 10},
         "before_last_move": {"v1": 100, "v2": 0}, "step": 1, "total_steps": 10,
         "remaining_millis": 60000, "paused": true, "phase": "Paused", "message": "paused by bob",
         "phase_since": "2024-11-27T09:00:00Z",
         "steps": [{"number": 1, "weight": 10, "started_at": "2024-11-27T09:00:00Z",
                    "outcome": "done", "held": "0s", "note": "v1 90%, v2 10%"}],
         "actions": [{"at": "2024-11-27T09:00:00Z", "action": "pause", "by": "bob"}],
         "notifications_sent": 0, "notification_failures": [], "last_router_change": 1733}
        """,
        MigrationInput.class);
  }

  /**
   * An input that carries {@code state} into its next run, as a previous run wrote it (JSON), reads
   * and writes back the same: the state is the mutable object a workflow hands to continue-as-new.
   */
  private static <T> void carries(T firstRun, String state, Class<T> type) throws Exception {
    ObjectNode json = (ObjectNode) MAPPER.readTree(data(firstRun));
    json.set("carried", MAPPER.readTree(state));
    T carried = fromJson(json.toString(), type);
    assertEquals(json, MAPPER.readTree(data(carried)), type.getSimpleName());
  }

  private static String data(Object value) {
    return CONVERTER.toPayload(value).orElseThrow().getData().toStringUtf8();
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
  void aCanaryInputCarryingItsStateIntoTheNextRun() throws Exception {
    CanaryInput first = CanaryDocs.fast().input();
    carries(
        first,
        """
        {"stable": "v1", "step": 1, "weight": 10, "clock_accumulated_millis": 90000,
         "paused": true, "awaiting_promotion": false, "pause_message": "paused by alice",
         "phase": "Paused", "message": "paused by alice", "phase_since": "2024-11-27T09:00:00Z",
         "last_analysis": {"at": "2024-11-27T09:00:00Z", "verdict": "pass",
           "checks": [{"metric": "success_rate", "value": 99.5, "threshold": 99.0,
                       "at_least": true, "unit": "%", "window": "1m", "ok": true}],
           "requests": 120, "minimum_requests": 50},
         "steps": [{"number": 1, "weight": 10, "started_at": "2024-11-27T09:00:00Z",
                    "outcome": "paused", "held": "1m30s", "note": "by alice"}],
         "actions": [{"at": "2024-11-27T09:00:00Z", "action": "pause", "by": "alice",
                      "reason": "w"}],
         "failed_analyses": 0, "inconclusive_in_row": 1, "errors_in_row": 0,
         "next_analysis_at": "2024-11-27T09:01:00Z", "passed_after_hold": false,
         "notifications_sent": 3, "last_router_change": 1733,
         "notification_failures": [{"at": "2024-11-27T09:00:00Z", "event": "paused",
                                    "channel": "slack", "error": "channel_not_found"}]}
        """,
        CanaryInput.class);
    roundTrips(first, CanaryInput.class);
  }

  @Test
  void abTestInputStateAndResults() throws Exception {
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
    // Two looks of B against A: the second carries the first's sub-density and the decision.
    SequentialLooks looks = SequentialLooks.NONE;
    for (long users : new long[] {10_000, 20_000}) {
      looks =
          SequentialJudge.judge(
                  new Proportion(users / 10, users),
                  new Proportion(users * 13 / 100, users),
                  spec.successMetrics().get(0),
                  spec.monitoring(),
                  spec.minimumSampleSize(),
                  looks,
                  (int) (users / 10_000))
              .looks();
    }
    if (looks.before() == null || looks.decision() == null) {
      throw new AssertionError("two looks and a decision expected: " + looks);
    }
    carries(
        new AbTestInput(
            "new-ui", "api", "production", CanaryDocs.target(), spec, versions, "alice", null),
        """
        {"started_at": "2024-11-27T09:00:00Z", "deadline": "2024-12-11T09:00:00Z",
         "analyses": 50, "next_analysis_at": "2024-11-29T12:00:00Z",
         "last_analysis_at": "2024-11-29T11:00:00Z",
         "counts": {"conversion_rate": {"A": {"exposed": 20000, "converted": 2000},
                                        "B": {"exposed": 20000, "converted": 2600}}},
         "looks": {"conversion_rate": {"B": %s}},
         "weights": {"v1": 50, "v2": 50}, "phase": "Progressing", "message": "testing",
         "phase_since": "2024-11-27T09:00:00Z", "paused": false, "steps": [],
         "actions": [{"at": "2024-11-27T09:00:00Z", "action": "start", "by": "alice"}],
         "notifications_sent": 0, "notification_failures": [], "last_router_change": 1733}
        """
            .formatted(data(looks)),
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
