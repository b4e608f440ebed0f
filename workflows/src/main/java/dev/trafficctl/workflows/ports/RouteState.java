package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The weights in force, read back from the router: version name to percent of traffic, and the
 * routing rules that come before them. An empty map means the router has never been set for this
 * service.
 *
 * @param rules the header, sticky and feature-flag rules in force; {@link RoutingRules#NONE} for
 *     weights alone (and for routers or states that predate rules)
 * @param serverWeights per server ({@code host:port}) inside its version's pool, as far as the
 *     router knows them: nginx reports every server's weight in force (0 for one marked {@code
 *     down}), the file router the ones a change set. A server absent here has weight 1 (or the
 *     load-balancer document's)
 */
public record RouteState(
    Map<String, Integer> weights, RoutingRules rules, Map<String, Integer> serverWeights) {

  public RouteState {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
    rules = rules == null ? RoutingRules.NONE : rules;
    serverWeights =
        Collections.unmodifiableMap(
            new TreeMap<>(serverWeights == null ? Map.of() : serverWeights));
  }

  /** Weights and rules, no server weights known. */
  public RouteState(Map<String, Integer> weights, RoutingRules rules) {
    this(weights, rules, Map.of());
  }

  /** Weights alone. */
  public RouteState(Map<String, Integer> weights) {
    this(weights, RoutingRules.NONE);
  }

  public int weightOf(String version) {
    return weights.getOrDefault(version, 0);
  }

  /** The version with the largest share other than {@code except}: the one serving now. */
  public Optional<String> dominantExcept(String except) {
    return weights.entrySet().stream()
        .filter(e -> !e.getKey().equals(except) && e.getValue() > 0)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }
}
