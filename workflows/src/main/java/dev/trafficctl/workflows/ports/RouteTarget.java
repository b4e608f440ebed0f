package dev.trafficctl.workflows.ports;

import dev.trafficctl.config.catalog.EnvironmentEntry;

/** Whose traffic a router moves: a service in one environment, with its catalog entry. */
public record RouteTarget(String service, String env, EnvironmentEntry entry) {

  /**
   * The router host whose worker alone holds this router's files and secret, or null when any
   * worker does ({@link dev.trafficctl.config.catalog.RouterConfig#host}).
   */
  public String routerHost() {
    return entry == null || entry.router() == null ? null : entry.router().host();
  }
}
