package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights in force, read back from the router: version name to percent of traffic, and the
 * routing rules that come before them. An empty map means the router has never been set for this
 * service.
 *
 * @param rules the header, sticky and feature-flag rules in force; {@link RoutingRules#NONE} for
 *     weights alone (and for routers or states that predate rules)
 */
public record RouteState(Map<String, Integer> weights, RoutingRules rules) {

  public RouteState {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
    rules = rules == null ? RoutingRules.NONE : rules;
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
