package dev.trafficctl.workflows.splitting;

import dev.trafficctl.workflows.status.RolloutStatus;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The weights the router reports in force after the split, and the split's last status. */
public record SplitResult(Map<String, Integer> weights, RolloutStatus status) {

  public SplitResult {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }
}
