package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights and routing rules the router reports in force after the split, and the split's last
 * status.
 */
public record SplitResult(Map<String, Integer> weights, RolloutStatus status, RoutingRules rules) {

  public SplitResult {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
  }
}
