package dev.trafficctl.activities.router.nginx;

import dev.trafficctl.config.catalog.EnvironmentEntry;
import dev.trafficctl.config.catalog.NginxMode;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.RouterConfig;
import dev.trafficctl.config.catalog.VersionPool;
import dev.trafficctl.testing.Ports;
import dev.trafficctl.workflows.ports.RouteTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Catalog entries routed by nginx, as trafficctl.yaml would write them. */
final class NginxTargets {

  String service = "api";
  String env = "production";
  NginxMode mode = NginxMode.DYNAMIC;
  Map<String, List<String>> versions = new LinkedHashMap<>();
  String listen;
  String admin;
  String configDir = "nginx";
  String nginxPrefix;
  String nginxConf;
  String binary;
  String errorLog;
  String loadBalancer;

  /** A target for the nginx on {@code config}, with its prefix, conf and config dir. */
  static NginxTargets on(StandaloneNginxConfig config, NginxMode mode) {
    NginxTargets t = new NginxTargets();
    t.mode = mode;
    t.listen = "127.0.0.1:" + Ports.free();
    t.admin = "127.0.0.1:" + Ports.free();
    t.configDir = config.configDir().toString();
    t.nginxPrefix = config.prefix().toString();
    t.nginxConf = config.conf().toString();
    return t;
  }

  RouterConfig router() {
    return RouterConfig.ofNginx(
        new NginxRouterSettings(
            mode,
            listen,
            admin,
            configDir,
            binary,
            nginxPrefix,
            nginxConf,
            errorLog,
            loadBalancer));
  }

  RouteTarget target() {
    Map<String, VersionPool> pools = new LinkedHashMap<>();
    versions.forEach((version, servers) -> pools.put(version, new VersionPool(servers)));
    return new RouteTarget(service, env, new EnvironmentEntry(router(), pools, null, null, null));
  }

  static Map<String, Integer> weights(Object... pairs) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      weights.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return weights;
  }
}
