package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.workflows.WorkflowFailures;
import dev.trafficctl.workflows.canary.testing.CanaryDocs;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.UtilizationQuery;
import dev.trafficctl.workflows.status.Phase;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Capacity mode of the split workflow, on the time-skipping test server. */
class TrafficSplitCapacityTest {

  private final SplittingHarness h = new SplittingHarness();

  @AfterEach
  void close() {
    h.close();
  }

  static SplitInput capacity(boolean dryRun) {
    return SplitInput.capacity(
        "api",
        "production",
        CanaryDocs.target(),
        new CapacityPlan(70, Duration.ofMinutes(2), dryRun),
        "alice",
        null);
  }

  private void measure() {
    h.router.serverWeights(Map.of("127.0.0.1:18081", 3));
    h.metrics.utilization("127.0.0.1:18081", 92.0);
    h.metrics.utilization("127.0.0.1:18082", 35.0);
  }

  @Test
  void aDryRunReportsThePlanAndChangesNothing() {
    measure();
    SplitResult result = h.split().run(capacity(true));

    assertEquals(
        List.of(
            new ServerAdjustment("v1", "127.0.0.1:18081", 92.0, 3, 2),
            new ServerAdjustment("v1", "127.0.0.1:18082", 35.0, 1, 2),
            new ServerAdjustment("v2", "127.0.0.1:18083", null, 1, 1)),
        result.adjustments());
    assertEquals(Phase.PROMOTED, result.status().phase());
    assertTrue(result.status().message().startsWith("dry run"), result.status().message());
    assertEquals(List.of(), h.router.changes());
    assertEquals(Map.of("127.0.0.1:18081", 3), h.router.serverWeights());
    UtilizationQuery query = h.metrics.utilizationQueries().get(0);
    assertEquals(List.of("127.0.0.1:18081", "127.0.0.1:18082", "127.0.0.1:18083"), query.servers());
    assertEquals(Duration.ofMinutes(2), query.window());
  }

  @Test
  void applyingKeepsVersionWeightsAndSetsServerWeights() {
    measure();
    SplitResult result = h.split().run(capacity(false));

    assertEquals(Phase.PROMOTED, result.status().phase());
    assertEquals(1, h.router.changes().size());
    // The server settings layer alone: the version weights in force stay as they are.
    assertEquals(Set.of(RouteLayer.SERVERS), h.router.lastChange().layers());
    assertEquals(
        Map.of("127.0.0.1:18081", 2, "127.0.0.1:18082", 2, "127.0.0.1:18083", 1),
        h.router.serverWeights());
    assertEquals(Map.of("v1", 100, "v2", 0), result.weights());
  }

  @Test
  void unavailableUtilizationChangesNothing() {
    h.metrics.utilizationUnavailable();
    SplitResult result = h.split().run(capacity(false));

    assertEquals(Phase.ABORTED, result.status().phase());
    assertTrue(
        result.status().message().startsWith("server utilization unavailable"),
        result.status().message());
    assertEquals(List.of(), h.router.changes());
  }

  @Test
  void aRouterThatCannotWeighServersRefusesBeforeMeasuring() {
    h.router.canOnly(EnumSet.of(RouterCapability.WEIGHTS, RouterCapability.READ_BACK));
    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> h.split().run(capacity(false)));
    ApplicationFailure refusal = (ApplicationFailure) e.getCause();
    assertEquals(WorkflowFailures.INVALID_INPUT, refusal.getType());
    assertEquals(
        "api (production): the nginx router cannot: server_weights", refusal.getOriginalMessage());
    assertEquals(List.of(), h.metrics.utilizationQueries());
    assertEquals(List.of(), h.router.changes());
  }
}
