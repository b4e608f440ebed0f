package dev.trafficctl.workflows.splitting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.splitting.TrafficSplittingDocument;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitPlanTest {

  private static SplitPlan plan(String yaml) {
    return SplitPlan.of(
        new DocumentLoader()
            .parse("splitting.yaml", yaml, TrafficSplittingDocument.class)
            .trafficSplitting()
            .get("api"));
  }

  @Test
  void theSpecExampleRoutesByHeaderThenRegionAndSplitsTheRestByVersion() {
    SplitPlan p =
        plan(
            """
            traffic_splitting:
              api:
                rules:
                  - { name: version_split, type: version, splits: { v1.0: 80, v2.0: 20 } }
                  - name: geographic_split
                    type: geographic
                    splits: { us-east-1: 50, us-west-2: 30, eu-west-1: 20 }
                  - name: user_type_split
                    type: header
                    header: X-User-Type
                    splits: { premium: 60, standard: 40 }
                sticky_sessions: true
                session_affinity: cookie
            """);
    assertEquals(Map.of("v1.0", 80, "v2.0", 20), p.weights());
    assertEquals(
        List.of(
            new RoutingRules.MatchRule(
                "geographic_split", "X-Region", List.of("us-east-1", "us-west-2", "eu-west-1")),
            new RoutingRules.MatchRule(
                "user_type_split", "X-User-Type", List.of("premium", "standard"))),
        p.rules().matches());
    assertEquals(SplitPlan.STICKY_COOKIE, p.rules().stickyCookie());
    assertNull(p.rules().featureFlag());
  }

  @Test
  void withoutAVersionRuleTheFirstHeaderRuleWeightsTheUnmatched() {
    SplitPlan p =
        plan(
            """
            traffic_splitting:
              api:
                rules:
                  - { name: tiers, type: header, header: X-User-Type, splits: { premium: 70, standard: 30 } }
                  - { name: new_ui, type: feature_flag, splits: { enabled: 25, disabled: 75 } }
            """);
    assertEquals(Map.of("premium", 70, "standard", 30), p.weights());
    assertEquals(
        new RoutingRules.FeatureFlag("new_ui", 25, SplitPlan.CLIENT_COOKIE, "X-Feature-New-Ui"),
        p.rules().featureFlag());
    assertNull(p.rules().stickyCookie());
  }

  @Test
  void aFeatureFlagNeedsEnabledAndDisabled() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SplitPlan.featureFlag("new_ui", Map.of("on", 25, "off", 75)));
    assertEquals(
        "feature flag new_ui: splits are enabled and disabled (e.g. enabled: 25, disabled: 75),"
            + " not [on, off]",
        e.getMessage().replace("[off, on]", "[on, off]"));
  }
}
