package dev.trafficctl.config.catalog;

import dev.trafficctl.config.SpecEnum;

/** Where a service's request metrics are read from. */
public enum MetricsProviderType implements SpecEnum {
  PROMETHEUS("prometheus"),
  NGINX_LOG("nginx-log");

  private final String wire;

  MetricsProviderType(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }
}
