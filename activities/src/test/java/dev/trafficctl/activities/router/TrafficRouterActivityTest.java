package dev.trafficctl.activities.router;

import static dev.trafficctl.activities.Failures.assertInvalidConfiguration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trafficctl.activities.Catalogs;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.LayerStamp;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.RoutingRules;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The router activity: what it checks before a provider sees a change, and the composition every
 * provider applies ({@link RouteLayers#compose}), on a provider that holds its layers in memory.
 */
class TrafficRouterActivityTest {

  /** Holds its layers in memory, composing as every provider does; can be told it can do less. */
  private static final class MemoryProvider implements RouterProvider {
    final List<RouteChange> changes = new ArrayList<>();
    Set<RouterCapability> can = EnumSet.allOf(RouterCapability.class);
    RouteState held = RouteState.none();

    @Override
    public Set<RouterCapability> capabilities() {
      return can;
    }

    @Override
    public RouteState change(RouteChange change) {
      held = RouteLayers.compose(held, change);
      changes.add(change);
      return held;
    }

    @Override
    public RouteState read(RouteTarget target) {
      return held;
    }
  }

  private final MemoryProvider file = new MemoryProvider();
  private final TrafficRouterActivity router =
      new TrafficRouterActivity(Map.of(RouterType.FILE, file));
  private final RouteTarget target =
      new RouteTarget("api", "production", Catalogs.fileRouted("state"));
  private final RoutingRules sticky = new RoutingRules(List.of(), "trafficctl_version", null);

  @Test
  void handsValidChangesToTheProviderOfTheCatalogTypeAndSaysWhatItCan() {
    RouteState state = router.change(Changes.of(target, Map.of("v1", 90, "v2", 10), "x"));

    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    assertEquals(1, file.changes.size());
    assertEquals(Map.of("v1", 90, "v2", 10), router.read(target).weights());
    assertEquals(EnumSet.allOf(RouterCapability.class), router.read(target).capabilities());
    assertEquals(EnumSet.allOf(RouterCapability.class), router.capabilities(target));
  }

  @Test
  void aChangeReplacesTheLayersItCarriesAndKeepsTheOthers() {
    router.change(Changes.weights(target, Map.of("v1", 100, "v2", 0), "first").withRules(sticky));
    RouteChange canary = Changes.weights(target, Map.of("v1", 90, "v2", 10), "canary");
    RouteState state = router.change(canary);

    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    assertEquals(sticky, state.rules(), "the rules of the first change stay");
    assertEquals(
        Map.of(
            RouteLayer.WEIGHTS,
            new LayerStamp(Changes.OWNER, canary.change()),
            RouteLayer.RULES,
            new LayerStamp(Changes.OWNER, canary.change() - 1)),
        state.layers());
  }

  @Test
  void aChangeOlderThanTheOneInForceForItsLayerIsRefusedWithoutEffect() {
    RouteChange late = Changes.weights(target, Map.of("v1", 50, "v2", 50), "step 2, late");
    RouteChange rollback = Changes.weights(target, Map.of("v1", 100, "v2", 0), "rollback");
    router.change(rollback);
    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> router.change(late));
    assertEquals(FailureTypes.STALE_CHANGE, refused.getType());
    assertTrue(refused.isNonRetryable());
    assertEquals(
        "api (production): change "
            + late.change()
            + " of production.test to the weights layer is older than change "
            + rollback.change()
            + " of production.test in force; refused, nothing changed",
        refused.getOriginalMessage());
    assertEquals(Map.of("v1", 100, "v2", 0), router.read(target).weights());
    // The same change again is a retried attempt: applied, harmlessly.
    assertEquals(Map.of("v1", 100, "v2", 0), router.change(rollback).weights());
  }

  @Test
  void aLayerOfAnotherChangeIsNotTouchedByAStaleCheckOfThisOne() {
    RouteChange rules = Changes.weights(target, Map.of("v1", 100), "first").withRules(sticky);
    RouteChange weights = Changes.weights(target, Map.of("v1", 90, "v2", 10), "canary");
    router.change(weights);
    // Older than the weights in force, but it carries the rules alone: nothing to refuse.
    RouteState state = router.change(Changes.by(target, "rules").withRules(sticky));
    assertEquals(Map.of("v1", 90, "v2", 10), state.weights());
    assertTrue(rules.change() < weights.change());
  }

  @Test
  void aChangeTheRouterCannotMakeIsRefusedBeforeItSeesIt() {
    file.can = EnumSet.of(RouterCapability.WEIGHTS, RouterCapability.READ_BACK);
    String message =
        assertInvalidConfiguration(
            () -> router.change(Changes.weights(target, Map.of("v1", 100), "x").withRules(sticky)));
    assertEquals("api (production): the file router cannot: sticky_sessions", message);
    assertTrue(file.changes.isEmpty());
  }

  @Test
  void aRouterThatCannotReadBackSaysSo() {
    file.can = EnumSet.of(RouterCapability.WEIGHTS);
    assertEquals(
        "api (production): the file router cannot: read_back",
        assertInvalidConfiguration(() -> router.read(target)));
  }

  @Test
  void aChangeNamesItsOwnerAndCarriesALayer() {
    assertEquals(
        "api (production): the change names no owner",
        assertInvalidConfiguration(
            () ->
                router.change(RouteChange.by(target, " ", 1, "x").withWeights(Map.of("v1", 100)))));
    assertEquals(
        "api (production): the change carries no layer",
        assertInvalidConfiguration(() -> router.change(Changes.by(target, "x"))));
  }

  @Test
  void theFirstChangeMustSetWeights() {
    assertEquals(
        "api (production): no weights are in force yet; the first change must set them",
        assertInvalidConfiguration(
            () -> router.change(Changes.by(target, "rules").withRules(sticky))));
  }

  @Test
  void rejectsVersionsPoolsAndServersMissingFromTheCatalog() {
    String message =
        assertInvalidConfiguration(
            () -> router.change(Changes.of(target, Map.of("v1", 90, "v9", 10), "x")));
    assertEquals(
        "api (production): weights name \"v9\", which the catalog does not have (it has: v1, v2,"
            + " v3)",
        message);
    RoutingRules premium =
        new RoutingRules(
            List.of(new RoutingRules.MatchRule("tiers", "X-Tier", List.of("premium"))), null, null);
    assertTrue(
        assertInvalidConfiguration(
                () -> router.change(Changes.of(target, Map.of("v1", 100), "x", premium)))
            .contains("routing rule tiers name \"premium\""));
    assertTrue(
        assertInvalidConfiguration(
                () ->
                    router.change(
                        Changes.weights(target, Map.of("v1", 100), "x")
                            .withServerWeights(Map.of("10.0.0.9:80", 2))))
            .contains("server weights name \"10.0.0.9:80\""));
    assertTrue(file.changes.isEmpty());
  }

  @Test
  void nginxIsNotAvailableInThisBuild() {
    RouteTarget nginx = new RouteTarget("api", "production", Catalogs.nginxRouted());
    String message =
        assertInvalidConfiguration(() -> router.change(Changes.of(nginx, Map.of("v1", 100), "x")));
    assertEquals("api (production): the nginx router is not available in this build", message);
    assertInvalidConfiguration(() -> router.read(nginx));
    assertTrue(file.changes.isEmpty());
  }
}
