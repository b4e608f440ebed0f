package dev.trafficctl.activities.router.file;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code <state_dir>/<env>/<service>.log}: a write of the state file, in the order the
 * writes happened. The generation ties the line to the state file it produced.
 *
 * @param rules the routing rules written with the weights; absent for weights alone
 */
public record FileRouterAuditEntry(
    Instant time,
    long generation,
    Map<String, Integer> weights,
    String reason,
    FileRouterRules rules) {

  public FileRouterAuditEntry {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
  }
}
