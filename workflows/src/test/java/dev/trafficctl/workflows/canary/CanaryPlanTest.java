package dev.trafficctl.workflows.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.canary.CanaryDocument;
import dev.trafficctl.config.canary.CanarySpec;
import dev.trafficctl.workflows.analysis.AnalysisCriteria;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryPlanTest {

  private static CanarySpec spec(String yaml) {
    return new DocumentLoader()
        .parse("canary.yaml", yaml, CanaryDocument.class)
        .canary()
        .get("api");
  }

  private static final CanarySpec EXAMPLE =
      spec(
          """
          canary:
            api:
              steps:
                - { traffic_percent: 5, duration: 5m, success_threshold: 99.5 }
                - { traffic_percent: 25, duration: 10m }
                - traffic_percent: 100
              metrics:
                success_rate: { threshold: 99, window: 2m }
                response_time: { threshold: 500ms, percentile: 99 }
          """);

  @Test
  void walksTheStepsInOrder() {
    CanaryPlan plan = new CanaryPlan(EXAMPLE);
    assertEquals(3, plan.totalSteps());
    assertEquals(5, plan.weightOf(1));
    assertEquals(25, plan.nextWeight(1));
    assertEquals(100, plan.nextWeight(2));
    assertNull(plan.nextWeight(3));
    assertEquals(Duration.ofMinutes(10), plan.holdOf(2));
    assertEquals(Duration.ZERO, plan.holdOf(3));
  }

  @Test
  void onlyAFinalHundredWithoutHoldIsThePromotion() {
    CanaryPlan plan = new CanaryPlan(EXAMPLE);
    assertFalse(plan.isPromotionStep(2));
    assertTrue(plan.isPromotionStep(3));
    CanaryPlan held =
        new CanaryPlan(
            spec("canary:\n  api:\n    steps:\n      - { traffic_percent: 100, duration: 1m }\n"));
    assertFalse(held.isPromotionStep(1), "a held 100% step is judged before completing");
  }

  @Test
  void stepThresholdOverridesTheDocumentsSuccessRate() {
    CanaryPlan plan = new CanaryPlan(EXAMPLE);
    AnalysisCriteria first = AnalysisCriteria.forStep(EXAMPLE, plan.step(1));
    AnalysisCriteria second = AnalysisCriteria.forStep(EXAMPLE, plan.step(2));
    assertEquals(99.5, first.successRateAtLeast());
    assertEquals(99.0, second.successRateAtLeast());
    assertEquals(Duration.ofMinutes(2), second.successRateWindow());
    assertEquals(99.0, second.latencyPercentile());
    assertEquals(List.of(Duration.ofMinutes(2), Duration.ofMinutes(5)), second.windows());
  }

  @Test
  void stepThresholdAloneStillMeasuresSuccessRate() {
    CanarySpec onlyStep =
        spec(
            "canary:\n  api:\n    steps:\n"
                + "      - { traffic_percent: 10, duration: 1m, success_threshold: 98 }\n"
                + "      - traffic_percent: 100\n");
    AnalysisCriteria c = AnalysisCriteria.forStep(onlyStep, onlyStep.steps().get(0));
    assertEquals(98.0, c.successRateAtLeast());
    assertEquals(List.of(Duration.ofMinutes(5)), c.windows());
  }

  @Test
  void weightsSplitBetweenStableAndCandidate() {
    assertEquals(Map.of("v1", 75, "v2", 25), CanaryPlan.weights("v1", "v2", 25));
    assertEquals(Map.of("v1", 0, "v2", 100), CanaryPlan.weights("v1", "v2", 100));
  }
}
