package dev.trafficctl.workflows.control;

import dev.trafficctl.workflows.ports.LayerStamp;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouteState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the weights a router holds are the ones a rollout put there: someone may have set them by
 * hand (a person at the admin endpoint with its secret, an edited state file) or another tool. Only
 * the weights layer is compared; the rules and server settings belong to their own owners.
 */
public final class WeightsDrift {

  private WeightsDrift() {}

  /**
   * Empty when {@code inForce} serves {@code ours} (versions absent from either count as 0);
   * otherwise what differs and who set it, in one line.
   */
  public static Optional<String> between(Map<String, Integer> ours, RouteState inForce) {
    Set<String> versions = new LinkedHashSet<>(ours.keySet());
    versions.addAll(inForce.weights().keySet());
    boolean same = versions.stream().allMatch(v -> inForce.weightOf(v) == ours.getOrDefault(v, 0));
    if (same) {
      return Optional.empty();
    }
    // In the rollout's order of versions, then the others: the same drift reads the same.
    Map<String, Integer> held = new LinkedHashMap<>();
    versions.forEach(v -> held.put(v, inForce.weightOf(v)));
    LayerStamp stamp = inForce.layers().get(RouteLayer.WEIGHTS);
    return Optional.of(
        "the router holds weights "
            + held
            + ", not the rollout's "
            + ours
            + (stamp == null
                ? ""
                : " (its record names change " + stamp.change() + " of " + stamp.owner() + ")"));
  }
}
