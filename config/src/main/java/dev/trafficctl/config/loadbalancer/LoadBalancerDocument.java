package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.Validatable;
import dev.trafficctl.config.Validator;

/**
 * The spec's {@code lb/nginx-api.yaml}: {@code load_balancer: ...}, one load balancer per document
 * (the catalog's nginx router points at it with {@code load_balancer:}).
 */
public record LoadBalancerDocument(LoadBalancerSpec loadBalancer) implements Validatable {

  @Override
  public void validate(Validator at) {
    if (at.required("load_balancer", loadBalancer)) {
      at.nested("load_balancer", loadBalancer);
    }
  }
}
