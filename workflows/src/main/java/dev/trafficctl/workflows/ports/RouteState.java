package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights in force, read back from the router: version name to percent of traffic. An empty map
 * means the router has never been set for this service.
 */
public record RouteState(Map<String, Integer> weights) {

  public RouteState {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
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
