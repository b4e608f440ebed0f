package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights to put in force: version name to percent, adding up to 100. Applying the same change
 * twice leaves the same state, so a retried activity is harmless.
 *
 * @param reason why, for the router's audit trail (nginx config comment, state file)
 */
public record RouteChange(RouteTarget target, Map<String, Integer> weights, String reason) {

  public RouteChange {
    weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }
}
