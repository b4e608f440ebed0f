package dev.trafficctl.activities.router.file;

import dev.trafficctl.workflows.ports.LayerStamp;
import dev.trafficctl.workflows.ports.RouteLayer;
import dev.trafficctl.workflows.ports.RouteState;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content of {@code <state_dir>/<env>/<service>.json}: the desired weights a GitOps pipeline
 * applies, with the servers of each weighted version so the file is complete on its own.
 *
 * @param generation increases with every write, so a consumer can tell a new decision from an old
 *     one even when the weights are the same
 * @param weights version to percent, in the catalog's order of versions
 * @param servers version to its {@code host:port} list from the catalog, same order
 * @param rules the routing rules before the weights; absent for weights alone
 * @param serverWeights {@code host:port} to weight inside its version's pool, as the change set
 *     them (capacity-based weights); absent when none are set
 * @param layers who set each layer with which change; absent in files written before layers
 */
public record FileRouterState(
    String service,
    String env,
    long generation,
    Map<String, Integer> weights,
    String reason,
    Instant updatedAt,
    Map<String, List<String>> servers,
    FileRouterRules rules,
    Map<String, Integer> serverWeights,
    Map<RouteLayer, LayerStamp> layers) {

  public FileRouterState {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
    servers =
        Collections.unmodifiableMap(new LinkedHashMap<>(servers == null ? Map.of() : servers));
    serverWeights =
        serverWeights == null || serverWeights.isEmpty()
            ? null
            : Collections.unmodifiableMap(new TreeMap<>(serverWeights));
    layers = layers == null || layers.isEmpty() ? null : Collections.unmodifiableMap(layers);
  }

  /** What the file says is in force, as every router reports it. */
  RouteState routes() {
    return new RouteState(weights, FileRouterRules.toRules(rules), serverWeights, layers, Set.of());
  }
}
