package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Weights to put in force: version name to percent, adding up to 100, and the routing rules that
 * come before them. Applying the same change twice leaves the same state, so a retried activity is
 * harmless.
 *
 * @param reason why, for the router's audit trail (nginx config comment, state file)
 * @param rules header, region, sticky and feature-flag routing; {@link RoutingRules#NONE} for
 *     weights alone
 * @param serverWeights per server inside its version's pool: {@code host:port} (as the catalog
 *     lists it) to a relative weight 1..100 (nginx's {@code server ... weight=N}), overriding the
 *     load-balancer document's weight. Servers not named keep the document's weight (1 without
 *     one); empty, the default, puts the document's weights back. Sorted by address, so two equal
 *     changes render alike
 */
public record RouteChange(
    RouteTarget target,
    Map<String, Integer> weights,
    String reason,
    RoutingRules rules,
    Map<String, Integer> serverWeights) {

  public RouteChange {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
    serverWeights =
        Collections.unmodifiableMap(
            new TreeMap<>(serverWeights == null ? Map.of() : serverWeights));
  }

  /** Weights and rules; every server at the load-balancer document's weight. */
  public RouteChange(
      RouteTarget target, Map<String, Integer> weights, String reason, RoutingRules rules) {
    this(target, weights, reason, rules, Map.of());
  }

  /** Weights alone: what canaries, blue-green and migrations change. */
  public RouteChange(RouteTarget target, Map<String, Integer> weights, String reason) {
    this(target, weights, reason, RoutingRules.NONE);
  }
}
