package dev.trafficctl.activities.router;

import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Router changes as tests write them: by {@value #OWNER}, numbered in the order made, so that each
 * outnumbers the ones before it as a workflow's do.
 */
public final class Changes {

  public static final String OWNER = "production.test";

  private static final AtomicLong NUMBER = new AtomicLong(1_000);

  private Changes() {}

  /** A change by {@value #OWNER} with the next number, carrying no layer yet. */
  public static RouteChange by(RouteTarget target, String reason) {
    return RouteChange.by(target, OWNER, NUMBER.incrementAndGet(), reason);
  }

  /** The weights layer alone. */
  public static RouteChange weights(
      RouteTarget target, Map<String, Integer> weights, String reason) {
    return by(target, reason).withWeights(weights);
  }

  /** Every layer: the weights, no rules, the load-balancer document's server weights. */
  public static RouteChange of(RouteTarget target, Map<String, Integer> weights, String reason) {
    return of(target, weights, reason, RoutingRules.NONE, Map.of());
  }

  /** Every layer: the weights, {@code rules}, the load-balancer document's server weights. */
  public static RouteChange of(
      RouteTarget target, Map<String, Integer> weights, String reason, RoutingRules rules) {
    return of(target, weights, reason, rules, Map.of());
  }

  /** Every layer. */
  public static RouteChange of(
      RouteTarget target,
      Map<String, Integer> weights,
      String reason,
      RoutingRules rules,
      Map<String, Integer> serverWeights) {
    return by(target, reason)
        .withWeights(weights)
        .withRules(rules)
        .withServerWeights(serverWeights);
  }
}
