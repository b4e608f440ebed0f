package dev.trafficctl.config.loadbalancer;

import dev.trafficctl.config.SpecEnum;

/** Which load balancer a {@code load_balancer:} document configures. Service meshes come later. */
public enum LoadBalancerType implements SpecEnum {
  NGINX;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
