package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a change asks nginx to route for one service: everything the include is rendered from
 * besides the site itself. A new layer of routing (faults, mirroring) is a new component here and a
 * new {@link IncludePart} that renders it.
 *
 * @param weights version to percent; reload mode renders them in, dynamic mode reads them from the
 *     shared dict instead
 * @param rules the routing rules before the weights, rendered in in both modes
 * @param serverWeights {@code host:port} to weight 1..100 inside its version's upstream, overriding
 *     the load-balancer document's; rendered in in both modes
 */
record NginxRoutes(
    Map<String, Integer> weights, RoutingRules rules, Map<String, Integer> serverWeights) {

  NginxRoutes {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
    serverWeights =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(serverWeights == null ? Map.of() : serverWeights));
  }

  /** Weights alone: no routing rules, the load-balancer document's server weights. */
  static NginxRoutes weighted(Map<String, Integer> weights) {
    return new NginxRoutes(weights, RoutingRules.NONE, Map.of());
  }
}
