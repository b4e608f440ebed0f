package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.Weights;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A change of some of a service's routing layers ({@link RouteLayer}): each layer it carries
 * replaces the one in force, the others stay. Usually one layer; an A/B test sets its weights and
 * the rules that tell the variants apart in one change, so that no request sees one without the
 * other. Applying the same change twice leaves the same state, so a retried activity is harmless.
 *
 * @param owner the workflow id making the change; it becomes the owner of the layers it carries
 * @param change the owner's change number: a router refuses a change of a layer whose change in
 *     force has a higher number (a late attempt, overtaken)
 * @param reason why, for the router's audit trail (nginx config comment, state file)
 * @param weights the version weights layer; null leaves it as it is
 * @param rules the rules layer ({@link RoutingRules#NONE} for none); null leaves it as it is
 * @param serverWeights the server settings layer: {@code host:port} (as the catalog lists it) to a
 *     relative weight 1..100 inside its version's pool, overriding the load-balancer document's
 *     (empty puts the document's back); null leaves it as it is. Sorted by address, so two equal
 *     changes render alike
 */
public record RouteChange(
    RouteTarget target,
    String owner,
    long change,
    String reason,
    Weights weights,
    RoutingRules rules,
    Map<String, Integer> serverWeights) {

  public RouteChange {
    serverWeights =
        serverWeights == null ? null : Collections.unmodifiableMap(new TreeMap<>(serverWeights));
  }

  /** A change by {@code owner} that carries no layer yet. */
  public static RouteChange by(RouteTarget target, String owner, long change, String reason) {
    return new RouteChange(target, owner, change, reason, null, null, null);
  }

  public RouteChange withWeights(Map<String, Integer> percent) {
    return new RouteChange(
        target, owner, change, reason, Weights.of(percent), rules, serverWeights);
  }

  public RouteChange withRules(RoutingRules routing) {
    return new RouteChange(target, owner, change, reason, weights, routing, serverWeights);
  }

  public RouteChange withServerWeights(Map<String, Integer> servers) {
    return new RouteChange(target, owner, change, reason, weights, rules, servers);
  }

  /** The layers this change replaces. */
  public Set<RouteLayer> layers() {
    Set<RouteLayer> layers = EnumSet.noneOf(RouteLayer.class);
    if (weights != null) {
      layers.add(RouteLayer.WEIGHTS);
    }
    if (rules != null) {
      layers.add(RouteLayer.RULES);
    }
    if (serverWeights != null) {
      layers.add(RouteLayer.SERVERS);
    }
    return layers;
  }

  /** What a router must be able to do to put this change in force. */
  public Set<RouterCapability> needs() {
    Set<RouterCapability> needs = new LinkedHashSet<>();
    if (weights != null) {
      needs.add(RouterCapability.WEIGHTS);
    }
    if (rules != null) {
      needs.addAll(rules.needs());
    }
    if (serverWeights != null && !serverWeights.isEmpty()) {
      needs.add(RouterCapability.SERVER_WEIGHTS);
    }
    return needs;
  }
}
