package dev.trafficctl.activities.router;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.workflows.ports.FailureTypes;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import io.temporal.failure.ApplicationFailure;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How every router composes a change with the layers it holds, and checks what results, once for
 * all providers. A change older than the one in force for a layer it carries is refused without
 * effect (non-retryably: a late attempt stays late); otherwise its layers replace those in force
 * and the others stay. The composition must route: it has weights, and every version, pool and
 * server it names is the catalog's (a layer kept from an earlier change may name one the catalog no
 * longer has). Providers call this while they hold their write lock, on what they hold.
 */
public final class RouteLayers {

  private RouteLayers() {}

  /** {@code held} with {@code change}'s layers, checked against the change's catalog entry. */
  public static RouteState compose(RouteState held, RouteChange change) {
    RouteTarget target = change.target();
    String where = target.service() + " (" + target.env() + ")";
    held.staleness(change)
        .ifPresent(
            why -> {
              throw ApplicationFailure.newNonRetryableFailure(
                  where + ": " + why, FailureTypes.STALE_CHANGE);
            });
    RouteState next = held.with(change);
    if (next.weights().isEmpty()) {
      throw InvalidConfiguration.failure(
          where + ": no weights are in force yet; the first change must set them");
    }
    Map<String, VersionPool> versions =
        target.entry().versions() == null ? Map.of() : target.entry().versions();
    checkNames(where, "weights", next.weights().keySet(), versions.keySet());
    for (RoutingRules.MatchRule rule : next.rules().matches()) {
      checkNames(where, "routing rule " + rule.name(), rule.pools(), versions.keySet());
    }
    Set<String> servers = new HashSet<>();
    versions.values().stream()
        .filter(pool -> pool != null && pool.servers() != null)
        .forEach(pool -> servers.addAll(pool.servers()));
    checkNames(where, "server weights", next.serverWeights().keySet(), servers);
    next.serverWeights()
        .forEach(
            (server, weight) -> {
              if (weight == null || weight < 1 || weight > 100) {
                throw InvalidConfiguration.failure(
                    where + ": weight of server " + server + " is " + weight + ", not 1..100");
              }
            });
    return next;
  }

  private static void checkNames(
      String where, String what, Collection<String> names, Set<String> catalog) {
    for (String name : names) {
      if (!catalog.contains(name)) {
        throw InvalidConfiguration.failure(
            where
                + ": "
                + what
                + " name \""
                + name
                + "\", which the catalog does not have (it has: "
                + String.join(", ", catalog.stream().sorted().toList())
                + ")");
      }
    }
  }
}
