package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights to put in force: version name to percent, adding up to 100, and the routing rules that
 * come before them. Applying the same change twice leaves the same state, so a retried activity is
 * harmless.
 *
 * @param reason why, for the router's audit trail (nginx config comment, state file)
 * @param rules header, region, sticky and feature-flag routing; {@link RoutingRules#NONE} for
 *     weights alone
 */
public record RouteChange(
    RouteTarget target, Map<String, Integer> weights, String reason, RoutingRules rules) {

  public RouteChange {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
  }

  /** Weights alone: what canaries, blue-green and migrations change. */
  public RouteChange(RouteTarget target, Map<String, Integer> weights, String reason) {
    this(target, weights, reason, RoutingRules.NONE);
  }
}
