package dev.trafficctl.config.splitting;

import dev.trafficctl.config.SpecEnum;

/**
 * How requests are balanced among the instances of one split target. A separate enumeration from
 * the load-balancer document's {@code BalancingMethod}: the spec gives the two documents different
 * sets, and an error message should list exactly what this field accepts.
 */
public enum SplitAlgorithm implements SpecEnum {
  ROUND_ROBIN,
  /** Round robin in proportion to each instance's weight. */
  WEIGHTED_ROUND_ROBIN,
  /** The instance with the fewest active connections. */
  LEAST_CONN,
  /** A hash of the client address, so a client stays on one instance. */
  IP_HASH,
  RANDOM;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
