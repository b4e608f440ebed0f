package dev.trafficctl.activities.router;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import dev.trafficctl.workflows.ports.TrafficRouter;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link TrafficRouter} activity: checks a change against the service's catalog entry and hands
 * it to the provider named by {@code router.type}. Checks common to every provider live here so a
 * provider never sees weights that do not add up; a provider missing from this build fails
 * non-retryably instead of pretending to move traffic.
 */
public final class TrafficRouterActivity implements TrafficRouter {

  private final Map<RouterType, RouterProvider> providers;

  /**
   * @param providers the providers this build has, by catalog type (the worker builds the map)
   */
  public TrafficRouterActivity(Map<RouterType, ? extends RouterProvider> providers) {
    this.providers = new EnumMap<>(RouterType.class);
    this.providers.putAll(providers);
  }

  @Override
  public RouteState setWeights(RouteChange change) {
    if (change == null) {
      throw InvalidConfiguration.failure("no route change given");
    }
    RouterProvider provider = providerFor(change.target());
    checkWeights(change.target(), change.weights());
    checkRules(change.target(), change.rules());
    checkServerWeights(change.target(), change.serverWeights());
    return provider.setWeights(change);
  }

  @Override
  public RouteState readWeights(RouteTarget target) {
    return providerFor(target).readWeights(target);
  }

  private RouterProvider providerFor(RouteTarget target) {
    if (target == null || target.entry() == null) {
      throw InvalidConfiguration.failure("no route target with a catalog entry given");
    }
    EnvironmentEntry entry = target.entry();
    if (entry.router() == null || entry.router().type() == null) {
      throw InvalidConfiguration.failure(where(target) + ": router.type is missing");
    }
    RouterType type = entry.router().type();
    RouterProvider provider = providers.get(type);
    if (provider == null) {
      throw InvalidConfiguration.failure(
          where(target) + ": the " + type.wire() + " router is not available in this build");
    }
    return provider;
  }

  /** Servers of the catalog entry's versions, each weight 1..100 (nginx's range). */
  private static void checkServerWeights(RouteTarget target, Map<String, Integer> serverWeights) {
    java.util.Set<String> known = new java.util.HashSet<>();
    if (target.entry().versions() != null) {
      target
          .entry()
          .versions()
          .values()
          .forEach(
              pool -> {
                if (pool != null && pool.servers() != null) {
                  known.addAll(pool.servers());
                }
              });
    }
    for (Map.Entry<String, Integer> entry : serverWeights.entrySet()) {
      if (!known.contains(entry.getKey())) {
        throw InvalidConfiguration.failure(
            where(target)
                + ": server \""
                + entry.getKey()
                + "\" is in no version's servers in the catalog");
      }
      Integer weight = entry.getValue();
      if (weight == null || weight < 1 || weight > 100) {
        throw InvalidConfiguration.failure(
            where(target)
                + ": weight of server "
                + entry.getKey()
                + " is "
                + weight
                + ", not 1..100");
      }
    }
  }

  /** Versions from the catalog entry, each weight 0..100, together 100. */
  private static void checkWeights(RouteTarget target, Map<String, Integer> weights) {
    if (weights.isEmpty()) {
      throw InvalidConfiguration.failure(where(target) + ": no weights given");
    }
    Map<String, ?> versions =
        target.entry().versions() == null ? Map.of() : target.entry().versions();
    int sum = 0;
    for (Map.Entry<String, Integer> weight : weights.entrySet()) {
      String version = weight.getKey();
      Integer percent = weight.getValue();
      if (!versions.containsKey(version)) {
        throw InvalidConfiguration.failure(
            where(target)
                + ": version \""
                + version
                + "\" is not in the catalog (versions: "
                + String.join(", ", versions.keySet())
                + ")");
      }
      if (percent == null || percent < 0 || percent > 100) {
        throw InvalidConfiguration.failure(
            where(target)
                + ": weight of "
                + version
                + " is "
                + percent
                + ", not a percentage (0..100)");
      }
      sum += percent;
    }
    if (sum != 100) {
      throw InvalidConfiguration.failure(
          where(target) + ": weights " + weights + " add up to " + sum + ", not 100");
    }
  }

  /** A routing rule's pools are versions of the catalog entry, as weights are. */
  private static void checkRules(RouteTarget target, RoutingRules rules) {
    Map<String, ?> versions =
        target.entry().versions() == null ? Map.of() : target.entry().versions();
    for (RoutingRules.MatchRule rule : rules.matches()) {
      for (String pool : rule.pools()) {
        if (!versions.containsKey(pool)) {
          throw InvalidConfiguration.failure(
              where(target)
                  + ": routing rule "
                  + rule.name()
                  + " names pool \""
                  + pool
                  + "\", which is not a version of the catalog (versions: "
                  + String.join(", ", versions.keySet())
                  + ")");
        }
      }
    }
  }

  private static String where(RouteTarget target) {
    return target.service() + " (" + target.env() + ")";
  }
}
