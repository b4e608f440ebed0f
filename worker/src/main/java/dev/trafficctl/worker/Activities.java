package dev.trafficctl.worker;

import dev.trafficctl.activities.health.HttpHealthChecker;
import dev.trafficctl.activities.metrics.MetricsProviderActivity;
import dev.trafficctl.activities.metrics.nginxlog.NginxLogMetrics;
import dev.trafficctl.activities.metrics.prometheus.PrometheusMetrics;
import dev.trafficctl.activities.router.TrafficRouterActivity;
import dev.trafficctl.activities.router.file.FileRouter;
import dev.trafficctl.activities.router.nginx.NginxRouter;
import dev.trafficctl.config.catalog.MetricsProviderType;
import dev.trafficctl.config.catalog.RouterType;
import dev.trafficctl.workflows.ports.HealthChecker;
import dev.trafficctl.workflows.ports.MetricsProvider;
import dev.trafficctl.workflows.ports.Notifier;
import dev.trafficctl.workflows.ports.TrafficRouter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The activity implementations this worker registers, chosen in one place: one activity per port,
 * each dispatching to the provider the catalog entry names (so one worker serves every service). A
 * provider missing from these maps fails its calls non-retryably as invalid configuration.
 */
final class Activities {

  private Activities() {}

  /**
   * @param stateDir base of relative paths in the catalog: the routers' ({@code
   *     router.file.state_dir}, {@code router.nginx.config_dir}, ...) and the nginx-log provider's
   *     {@code access_log}s
   */
  static List<Object> create(Path stateDir, Notifier notifier) {
    return List.of(router(stateDir), metrics(stateDir), notifier, health());
  }

  static TrafficRouter router(Path stateDir) {
    return new TrafficRouterActivity(
        Map.of(
            RouterType.FILE, new FileRouter(stateDir),
            RouterType.NGINX, new NginxRouter(stateDir)));
  }

  static MetricsProvider metrics(Path stateDir) {
    return new MetricsProviderActivity(
        Map.of(
            MetricsProviderType.PROMETHEUS, new PrometheusMetrics(),
            MetricsProviderType.NGINX_LOG, new NginxLogMetrics(stateDir)));
  }

  static HealthChecker health() {
    return new HttpHealthChecker();
  }
}
