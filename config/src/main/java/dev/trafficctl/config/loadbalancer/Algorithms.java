package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * {@code load_balancer.algorithms}: how a server is chosen.
 *
 * @param method the balancing method; default {@code round_robin}
 */
public record Algorithms(BalancingMethod method) implements Validatable {

  public Algorithms {
    method = method == null ? BalancingMethod.ROUND_ROBIN : method;
  }

  @Override
  public void validate(Validator at) {
    // Every method is valid with any upstream; the enumeration has checked the value already.
  }
}
