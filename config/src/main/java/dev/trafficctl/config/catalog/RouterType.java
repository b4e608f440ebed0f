package dev.trafficctl.config.catalog;

import dev.trafficctl.config.SpecEnum;

/** Which provider moves a service's traffic (one package per provider in {@code activities}). */
public enum RouterType implements SpecEnum {
  /** nginx upstreams, one per version. */
  NGINX,
  /** Writes the desired weights to a state directory, for GitOps. */
  FILE;

  @Override
  public String wire() {
    return SpecEnum.wireOf(this);
  }
}
