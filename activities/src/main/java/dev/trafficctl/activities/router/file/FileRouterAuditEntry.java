package dev.trafficctl.activities.router.file;

import dev.trafficctl.workflows.ports.RouteLayer;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One line of {@code <state_dir>/<env>/<service>.log}: a write of the state file, in the order the
 * writes happened. The generation ties the line to the state file it produced.
 *
 * @param rules the routing rules written with the weights; absent for weights alone
 * @param owner the workflow whose change it was
 * @param change the change's number
 * @param layers the layers the change replaced; the others stayed
 */
public record FileRouterAuditEntry(
    Instant time,
    long generation,
    Map<String, Integer> weights,
    String reason,
    FileRouterRules rules,
    String owner,
    long change,
    Set<RouteLayer> layers) {

  public FileRouterAuditEntry {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
  }
}
