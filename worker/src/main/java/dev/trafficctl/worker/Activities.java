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
   * @param limits where the catalog's paths resolve and may lead (the routers' {@code
   *     router.file.state_dir}, {@code router.nginx.config_dir}, ..., the nginx-log provider's
   *     {@code access_log}s), which nginx binaries an entry may name and which hosts its Prometheus
   *     address may reach (the notifier, built apart, takes the same hosts)
   */
  static List<Object> create(ActivityLimits limits, Notifier notifier) {
    return List.of(router(limits), metrics(limits), notifier, health());
  }

  static TrafficRouter router(ActivityLimits limits) {
    return new TrafficRouterActivity(
        Map.of(
            RouterType.FILE, new FileRouter(limits.paths()),
            RouterType.NGINX, new NginxRouter(limits.paths(), limits.binaries())));
  }

  static MetricsProvider metrics(ActivityLimits limits) {
    return new MetricsProviderActivity(
        Map.of(
            MetricsProviderType.PROMETHEUS, new PrometheusMetrics(limits.hosts()),
            MetricsProviderType.NGINX_LOG, new NginxLogMetrics(limits.paths())));
  }

  static HealthChecker health() {
    return new HttpHealthChecker();
  }
}
