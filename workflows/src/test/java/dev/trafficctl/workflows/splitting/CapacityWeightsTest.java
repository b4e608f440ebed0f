package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityWeightsTest {

  @Test
  void aBusyServerLosesWeightAnIdleOneGains() {
    assertEquals(2, CapacityWeights.next(3, 92.0, 70)); // 3 * 70 / 92 = 2.28
    assertEquals(14, CapacityWeights.next(10, 50.0, 70)); // 10 * 70 / 50 = 14
    assertEquals(10, CapacityWeights.next(10, 70.0, 70));
  }

  @Test
  void oneAdjustmentAtMostHalvesOrDoubles() {
    assertEquals(5, CapacityWeights.next(10, 100.0, 10)); // 1 would be wanted
    assertEquals(20, CapacityWeights.next(10, 5.0, 90)); // 180 would be wanted
    assertEquals(20, CapacityWeights.next(10, 0.0, 70)); // idle: max(measured, 1)
  }

  @Test
  void weightsStayInNginxsRange() {
    assertEquals(1, CapacityWeights.next(1, 100.0, 1));
    assertEquals(100, CapacityWeights.next(80, 10.0, 100));
  }

  @Test
  void noMeasurementOrADownServerKeepsItsWeight() {
    assertEquals(7, CapacityWeights.next(7, null, 70));
    assertEquals(7, CapacityWeights.next(7, Double.NaN, 70));
    assertEquals(0, CapacityWeights.next(0, 95.0, 70));
  }

  @Test
  void thePlanCoversEveryServerInCatalogOrder() {
    Map<String, List<String>> servers = new LinkedHashMap<>();
    servers.put("v1", List.of("a:1", "b:1"));
    servers.put("v2", List.of("c:1"));
    List<ServerAdjustment> plan =
        CapacityWeights.plan(servers, Map.of("a:1", 3), Map.of("a:1", 92.0, "c:1", 35.0), 70);
    assertEquals(
        List.of(
            new ServerAdjustment("v1", "a:1", 92.0, 3, 2),
            new ServerAdjustment("v1", "b:1", null, 1, 1),
            new ServerAdjustment("v2", "c:1", 35.0, 1, 2)),
        plan);
    assertEquals(Map.of("a:1", 2, "b:1", 1, "c:1", 2), CapacityWeights.weights(plan));
    assertThrows(
        IllegalArgumentException.class, () -> CapacityWeights.plan(servers, Map.of(), Map.of(), 0));
  }

  /**
   * Two servers share a pool's load in proportion to their weights; the second has three times the
   * capacity, and the pool's load is what both at 70% can carry. Starting from equal weights (the
   * small server at 140%, the large at 47%), repeated adjustments converge on the 1:3 split that
   * puts both at the target.
   */
  @Test
  void repeatedAdjustmentsConverge() {
    double load = 280; // percent of the small server's capacity, for the whole pool
    double[] capacity = {1, 3};
    int[] weights = {10, 10};
    double[] util = new double[2];
    for (int round = 0; round < 12; round++) {
      int sum = weights[0] + weights[1];
      for (int i = 0; i < 2; i++) {
        util[i] = load * weights[i] / sum / capacity[i];
      }
      for (int i = 0; i < 2; i++) {
        weights[i] = CapacityWeights.next(weights[i], util[i], 70);
      }
    }
    int sum = weights[0] + weights[1];
    for (int i = 0; i < 2; i++) {
      util[i] = load * weights[i] / sum / capacity[i];
    }
    assertEquals(3 * weights[0], weights[1]);
    assertEquals(70.0, util[0], 0.5);
    assertEquals(70.0, util[1], 0.5);
  }
}
