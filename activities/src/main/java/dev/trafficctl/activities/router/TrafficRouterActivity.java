package dev.trafficctl.activities.router;

import dev.trafficctl.activities.InvalidConfiguration;
import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteState;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RouterCapability;
import dev.trafficctl.workflows.ports.TrafficRouter;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@link TrafficRouter} activity: checks a change against the service's catalog entry and the
 * provider's capabilities, and hands it to the provider named by {@code router.type}, which
 * composes it with the layers it holds ({@link RouteLayers#compose}, where the composition is
 * checked against the catalog; the weights themselves are valid by their type). A provider never
 * sees a change it cannot make; a provider missing from this build fails non-retryably instead of
 * pretending to move traffic.
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
  public RouteState change(RouteChange change) {
    if (change == null) {
      throw InvalidConfiguration.failure("no route change given");
    }
    RouteTarget target = change.target();
    RouterProvider provider = providerFor(target);
    if (change.owner() == null || change.owner().isBlank()) {
      throw InvalidConfiguration.failure(where(target) + ": the change names no owner");
    }
    if (change.layers().isEmpty()) {
      throw InvalidConfiguration.failure(where(target) + ": the change carries no layer");
    }
    Set<RouterCapability> lacking = EnumSet.noneOf(RouterCapability.class);
    lacking.addAll(change.needs());
    lacking.removeAll(provider.capabilities());
    if (!lacking.isEmpty()) {
      throw InvalidConfiguration.failure(RouterCapability.refusal(target, lacking));
    }
    return provider.change(change).withCapabilities(provider.capabilities());
  }

  @Override
  public RouteState read(RouteTarget target) {
    RouterProvider provider = providerFor(target);
    if (!provider.capabilities().contains(RouterCapability.READ_BACK)) {
      throw InvalidConfiguration.failure(
          RouterCapability.refusal(target, Set.of(RouterCapability.READ_BACK)));
    }
    return provider.read(target).withCapabilities(provider.capabilities());
  }

  @Override
  public Set<RouterCapability> capabilities(RouteTarget target) {
    return providerFor(target).capabilities();
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

  private static String where(RouteTarget target) {
    return target.service() + " (" + target.env() + ")";
  }
}
