package dev.trafficctl.activities;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.MetricsSource;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.RouterConfig;
import dev.trafficctl.config.catalog.VersionPool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Catalog entries for tests, shaped as trafficctl.yaml writes them. */
public final class Catalogs {

  private Catalogs() {}

  /** {@code api}'s versions: v1 on two servers, v2 on one, v3 on one. */
  public static Map<String, VersionPool> versions() {
    Map<String, VersionPool> versions = new LinkedHashMap<>();
    versions.put("v1", new VersionPool(List.of("127.0.0.1:18081", "127.0.0.1:18082")));
    versions.put("v2", new VersionPool(List.of("127.0.0.1:18083")));
    versions.put("v3", new VersionPool(List.of("127.0.0.1:18084")));
    return versions;
  }

  public static EnvironmentEntry fileRouted(String stateDir) {
    return new EnvironmentEntry(RouterConfig.ofFile(stateDir), versions(), null, null, null);
  }

  public static EnvironmentEntry nginxRouted() {
    return new EnvironmentEntry(
        RouterConfig.ofNginx(
            new NginxRouterSettings(
                null, null, null, null, null, null, null, null, "lb/nginx-api.yaml")),
        versions(),
        null,
        null,
        null);
  }

  public static MetricsSource prometheus(String address, String selector, List<String> failures) {
    return new MetricsSource(MetricsProviderType.PROMETHEUS, address, selector, null, failures);
  }
}
