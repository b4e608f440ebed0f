package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and routing rules the router reports in force after the split, and the split's last
 * status.
 *
 * @param adjustments capacity mode: the plan, one line per server (applied unless a dry run); empty
 *     for a plain split
 */
public record SplitResult(
    Map<String, Integer> weights,
    RolloutStatus status,
    RoutingRules rules,
    List<ServerAdjustment> adjustments) {

  public SplitResult {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    rules = rules == null ? RoutingRules.NONE : rules;
    adjustments = adjustments == null ? List.of() : List.copyOf(adjustments);
  }

  /** A plain split. */
  public SplitResult(Map<String, Integer> weights, RolloutStatus status, RoutingRules rules) {
    this(weights, status, rules, List.of());
  }
}
