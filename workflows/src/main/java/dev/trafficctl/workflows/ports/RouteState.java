package dev.trafficctl.workflows.ports;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a router has in force for a service, read back from it: its layers composed — the version
 * weights, the routing rules that come before them, the servers' weights — who put each layer in
 * force with which change, and what the router can do. Empty weights mean the router has never been
 * set for this service.
 *
 * @param weights version name to percent of traffic
 * @param rules the header, sticky and feature-flag rules in force; {@link RoutingRules#NONE} for
 *     none (and for routers or states that predate rules)
 * @param serverWeights per server ({@code host:port}) inside its version's pool, as far as the
 *     router knows them: nginx reports every server's weight in force (0 for one marked {@code
 *     down}), the file router the ones a change set. A server absent here has weight 1 (or the
 *     load-balancer document's)
 * @param layers each layer's owner and change in force; a layer set before routers kept them has
 *     none, and any change may replace it
 * @param capabilities what the router can do; empty when it did not say
 */
public record RouteState(
    Map<String, Integer> weights,
    RoutingRules rules,
    Map<String, Integer> serverWeights,
    Map<RouteLayer, LayerStamp> layers,
    Set<RouterCapability> capabilities) {

  public RouteState {
    weights =
        Collections.unmodifiableMap(new LinkedHashMap<>(weights == null ? Map.of() : weights));
    rules = rules == null ? RoutingRules.NONE : rules;
    serverWeights =
        Collections.unmodifiableMap(
            new TreeMap<>(serverWeights == null ? Map.of() : serverWeights));
    layers =
        Collections.unmodifiableMap(
            layers == null || layers.isEmpty()
                ? new EnumMap<>(RouteLayer.class)
                : new EnumMap<>(layers));
    capabilities =
        Collections.unmodifiableSet(
            capabilities == null || capabilities.isEmpty()
                ? EnumSet.noneOf(RouterCapability.class)
                : EnumSet.copyOf(capabilities));
  }

  /** Weights, rules and server weights, with nobody's stamp on them. */
  public RouteState(
      Map<String, Integer> weights, RoutingRules rules, Map<String, Integer> serverWeights) {
    this(weights, rules, serverWeights, Map.of(), Set.of());
  }

  /** Weights alone. */
  public RouteState(Map<String, Integer> weights) {
    this(weights, RoutingRules.NONE, Map.of());
  }

  /** Nothing in force: a router never set for the service. */
  public static RouteState none() {
    return new RouteState(Map.of());
  }

  public int weightOf(String version) {
    return weights.getOrDefault(version, 0);
  }

  /** The version with the largest share other than {@code except}: the one serving now. */
  public Optional<String> dominantExcept(String except) {
    return weights.entrySet().stream()
        .filter(e -> !e.getKey().equals(except) && e.getValue() > 0)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  /**
   * Why {@code change} is older than what is in force for a layer it changes; empty when it may be
   * applied. An equal number is the same change again (a retried attempt): applied, harmlessly.
   */
  public Optional<String> staleness(RouteChange change) {
    for (RouteLayer layer : change.layers()) {
      LayerStamp inForce = layers.get(layer);
      if (inForce != null && change.change() < inForce.change()) {
        return Optional.of(
            "change "
                + change.change()
                + " of "
                + change.owner()
                + " to the "
                + layer.wire()
                + " layer is older than change "
                + inForce.change()
                + " of "
                + inForce.owner()
                + " in force; refused, nothing changed");
      }
    }
    return Optional.empty();
  }

  /**
   * This state with {@code change}'s layers in place of those in force, stamped with its owner and
   * number; the other layers as they are. Check {@link #staleness} first.
   */
  public RouteState with(RouteChange change) {
    Map<RouteLayer, LayerStamp> stamps = new EnumMap<>(RouteLayer.class);
    stamps.putAll(layers);
    LayerStamp stamp = new LayerStamp(change.owner(), change.change());
    change.layers().forEach(layer -> stamps.put(layer, stamp));
    return new RouteState(
        change.weights() != null ? change.weights().percent() : weights,
        change.rules() != null ? change.rules() : rules,
        change.serverWeights() != null ? change.serverWeights() : serverWeights,
        stamps,
        capabilities);
  }

  /** This state, saying what the router can do. */
  public RouteState withCapabilities(Set<RouterCapability> can) {
    return new RouteState(weights, rules, serverWeights, layers, can);
  }
}
