package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.SpecEnum;

/**
 * How a load balancer chooses a server. Every method honours the servers' weights, as nginx's do,
 * so there is no separate weighted round robin here.
 */
public enum BalancingMethod implements SpecEnum {
  /** In turn, in proportion to weight (nginx's default). */
  ROUND_ROBIN,
  /** The server with the fewest active connections, relative to its weight. */
  LEAST_CONN,
  /** A hash of the client address, so a client stays on one server. */
  IP_HASH,
  /** A server picked at random, in proportion to weight. */
  RANDOM,
  /** Consistent hashing of the request URI, so each URI stays on one server (warm caches). */
  HASH;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
