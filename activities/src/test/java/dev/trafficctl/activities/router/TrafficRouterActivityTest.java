package dev.trafficctl.activities.router;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.Catalogs;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficRouterActivityTest {

  /** Remembers what it was asked to do. */
  private static final class RecordingProvider implements RouterProvider {
    final List<RouteChange> changes = new ArrayList<>();

    @Override
    public RouteState setWeights(RouteChange change) {
      changes.add(change);
      return new RouteState(change.weights());
    }

    @Override
    public RouteState readWeights(RouteTarget target) {
      return new RouteState(Map.of("v1", 100));
    }
  }

  private final RecordingProvider file = new RecordingProvider();
  private final TrafficRouterActivity router =
      new TrafficRouterActivity(Map.of(RouterType.FILE, file));
  private final RouteTarget target =
      new RouteTarget("api", "production", Catalogs.fileRouted("state"));

  private static Map<String, Integer> weights(Object... pairs) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      weights.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return weights;
  }

  @Test
  void handsValidChangesToTheProviderOfTheCatalogType() {
    RouteState state = router.setWeights(new RouteChange(target, weights("v1", 90, "v2", 10), "x"));

    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    assertEquals(1, file.changes.size());
    assertEquals(Map.of("v1", 100), router.readWeights(target).weights());
  }

  @Test
  void zeroWeightsAreFine() {
    router.setWeights(new RouteChange(target, weights("v1", 0, "v2", 100), "promote"));
    assertEquals(1, file.changes.size());
  }

  @Test
  void rejectsVersionsMissingFromTheCatalog() {
    String message =
        assertInvalidConfiguration(
            () -> router.setWeights(new RouteChange(target, weights("v1", 90, "v9", 10), "x")));
    assertTrue(message.contains("\"v9\" is not in the catalog (versions: v1, v2, v3)"), message);
    assertTrue(file.changes.isEmpty());
  }

  @Test
  void rejectsWeightsThatDoNotAddUpTo100() {
    String message =
        assertInvalidConfiguration(
            () -> router.setWeights(new RouteChange(target, weights("v1", 90, "v2", 20), "x")));
    assertTrue(message.contains("add up to 110, not 100"), message);
    assertTrue(file.changes.isEmpty());
  }

  @Test
  void rejectsWeightsOutsideZeroToHundred() {
    String message =
        assertInvalidConfiguration(
            () -> router.setWeights(new RouteChange(target, weights("v1", 120, "v2", -20), "x")));
    assertTrue(message.contains("weight of v1 is 120, not a percentage (0..100)"), message);
  }

  @Test
  void rejectsNullAndEmptyWeights() {
    Map<String, Integer> withNull = new HashMap<>();
    withNull.put("v1", null);
    assertInvalidConfiguration(() -> router.setWeights(new RouteChange(target, withNull, "x")));
    String message =
        assertInvalidConfiguration(() -> router.setWeights(new RouteChange(target, Map.of(), "x")));
    assertTrue(message.contains("no weights given"), message);
  }

  @Test
  void nginxIsNotAvailableInThisBuild() {
    RouteTarget nginx = new RouteTarget("api", "production", Catalogs.nginxRouted());
    String message =
        assertInvalidConfiguration(
            () -> router.setWeights(new RouteChange(nginx, weights("v1", 100), "x")));
    assertEquals("api (production): the nginx router is not available in this build", message);
    assertInvalidConfiguration(() -> router.readWeights(nginx));
    assertTrue(file.changes.isEmpty());
  }
}
