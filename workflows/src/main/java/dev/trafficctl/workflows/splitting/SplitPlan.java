package dev.trafficctl.workflows.splitting;

import dev.trafficctl.config.splitting.SplitRule;
import dev.trafficctl.config.splitting.SplitRuleType;
import dev.trafficctl.config.splitting.TrafficSplitSpec;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code traffic_splitting.<service>} document puts in force, and how its rules combine:
 *
 * <ul>
 *   <li>{@code header} and {@code geographic} rules route exactly, in document order: a request
 *       whose header (the rule's {@code header}; {@code X-Region} for geographic rules) names one
 *       of the rule's keys goes to the version of that name. Their keys must be versions of the
 *       catalog (a {@code premium} fleet, a {@code us-east-1} pool).
 *   <li>Every other request is split by weight: the {@code version} rule's, or without one, the
 *       first header or geographic rule's weights, which then say how requests that match no key
 *       are shared among its pools.
 *   <li>{@code sticky_sessions} keeps a client on the version it was given (cookie {@value
 *       #STICKY_COOKIE}) while that version's weight is above 0.
 *   <li>A {@code feature_flag} rule ({@code enabled}/{@code disabled} weights) chooses no version:
 *       it gives each client (cookie {@value #CLIENT_COOKIE}) a stable bucket and tells the
 *       upstream in {@code X-Feature-<name>}.
 * </ul>
 */
public record SplitPlan(Map<String, Integer> weights, RoutingRules rules) {

  public static final String STICKY_COOKIE = "trafficctl_version";
  public static final String CLIENT_COOKIE = "trafficctl_client";

  public static SplitPlan of(TrafficSplitSpec spec) {
    Map<String, Integer> weights = null;
    List<RoutingRules.MatchRule> matches = new ArrayList<>();
    RoutingRules.FeatureFlag flag = null;
    for (SplitRule rule : spec.rules()) {
      switch (rule.type()) {
        case VERSION -> weights = new LinkedHashMap<>(rule.splits());
        case HEADER, GEOGRAPHIC -> {
          matches.add(
              new RoutingRules.MatchRule(
                  rule.name(), rule.header(), List.copyOf(rule.splits().keySet())));
          if (weights == null) {
            weights = new LinkedHashMap<>(rule.splits());
          }
        }
        case FEATURE_FLAG -> flag = featureFlag(rule.name(), rule.splits());
      }
    }
    // A version rule anywhere in the document wins over the fallback weights of a header rule.
    for (SplitRule rule : spec.rules()) {
      if (rule.type() == SplitRuleType.VERSION) {
        weights = new LinkedHashMap<>(rule.splits());
      }
    }
    return new SplitPlan(
        weights == null ? Map.of() : weights,
        new RoutingRules(matches, spec.stickySessions() ? STICKY_COOKIE : null, flag));
  }

  /** A flag from its {@code enabled} (and {@code disabled}) weights. */
  public static RoutingRules.FeatureFlag featureFlag(String name, Map<String, Integer> splits) {
    Integer enabled = splits.get("enabled");
    if (enabled == null
        || !splits.keySet().stream().allMatch(k -> k.equals("enabled") || k.equals("disabled"))) {
      throw new IllegalArgumentException(
          "feature flag "
              + name
              + ": splits are enabled and disabled (e.g. enabled: 25, disabled: 75), not "
              + splits.keySet());
    }
    return new RoutingRules.FeatureFlag(
        name, enabled, CLIENT_COOKIE, RoutingRules.FeatureFlag.headerOf(name));
  }
}
