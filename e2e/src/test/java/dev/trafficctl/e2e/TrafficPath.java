package dev.trafficctl.e2e;

import dev.trafficctl.activities.router.nginx.NginxRouter;
import dev.trafficctl.activities.router.nginx.StandaloneNginxConfig;
import dev.trafficctl.config.DocumentLoader;
import dev.trafficctl.config.catalog.Catalog;
import dev.trafficctl.testing.NginxProcess;
import dev.trafficctl.workflows.ports.RouteChange;
import dev.trafficctl.workflows.ports.RouteTarget;
import dev.trafficctl.workflows.ports.RoutingRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real traffic path of a test class, all on loopback: a Temporal dev server, Prometheus, an
 * nginx with the Lua module, demo service instances and a worker; catalog entries that point the
 * nginx router at them. Closing it stops every process it started.
 */
final class TrafficPath implements AutoCloseable {

  final Path dir;
  final DevServer server;
  final PrometheusServer prometheus;

  /**
   * Debian's nginx with the Lua module, started before any service is rendered into it: the nginx
   * router adds the service with its first change.
   */
  final NginxProcess nginx;

  private final StandaloneNginxConfig nginxConfig;
  private final List<AutoCloseable> instances = new ArrayList<>();
  private WorkerProcess worker;

  private TrafficPath(Path dir) {
    this.dir = NginxProcess.readableByWorkers(dir);
    this.server = new DevServer(this.dir.resolve("temporal"));
    this.prometheus = new PrometheusServer(this.dir.resolve("prometheus"));
    this.nginxConfig =
        StandaloneNginxConfig.in(
            NginxProcess.readableByWorkers(this.dir.resolve("nginx")),
            NginxProcess.readableByWorkers(this.dir.resolve("nginx/conf.d")),
            true);
    this.nginx =
        new NginxProcess(
            new NginxProcess.Layout(
                nginxConfig.prefix(),
                nginxConfig.conf(),
                nginxConfig.pidFile(),
                nginxConfig.errorLog()),
            Duration.ofSeconds(20));
  }

  static TrafficPath start(Path dir) {
    TrafficPath path = new TrafficPath(dir);
    path.server.start();
    path.prometheus.start();
    NginxProcess.requireNginx(true);
    path.nginxConfig.write();
    path.nginx.start();
    return path;
  }

  /** Starts a demo service instance, stopped with the path. */
  DemoInstance demo(String version, String log) {
    DemoInstance instance = DemoInstance.start(version, dir.resolve(log));
    instances.add(instance);
    return instance;
  }

  /**
   * The catalog text of environment {@code env} of service {@code api} with versions v1 ({@code
   * stable}) and v2 ({@code candidate}); see {@link #environment(String, String, int, int, Map,
   * boolean)}.
   */
  String environment(
      String env,
      String mode,
      int listen,
      int admin,
      List<DemoInstance> stable,
      DemoInstance candidate,
      boolean metrics) {
    Map<String, List<DemoInstance>> pools = new LinkedHashMap<>();
    pools.put("v1", stable);
    pools.put("v2", List.of(candidate));
    return environment(env, mode, listen, admin, pools, metrics);
  }

  /**
   * The catalog text of environment {@code env} of service {@code api}, served by this nginx in
   * {@code mode}, one version per pool. With {@code metrics} the instances are scraped as job
   * {@code api-<env>} and the entry reads them from this Prometheus.
   */
  String environment(
      String env,
      String mode,
      int listen,
      int admin,
      Map<String, List<DemoInstance>> pools,
      boolean metrics) {
    StringBuilder versions = new StringBuilder();
    pools.forEach(
        (version, instances) ->
            versions.append(
                "          %s: { servers: [%s] }\n"
                    .formatted(
                        version,
                        instances.stream()
                            .map(s -> "\"" + s.address() + "\"")
                            .collect(Collectors.joining(", ")))));
    String text =
        """
              %s:
                router:
                  type: nginx
                  nginx:
                    mode: %s
                    listen: "127.0.0.1:%d"
                    admin: "127.0.0.1:%d"
                    config_dir: "%s"
                    prefix: "%s"
                    conf: "%s"
                versions:
        %s"""
            .formatted(
                env,
                mode,
                listen,
                admin,
                nginxConfig.configDir(),
                nginxConfig.prefix(),
                nginxConfig.conf(),
                versions);
    if (!metrics) {
      return text;
    }
    pools.values().stream()
        .flatMap(List::stream)
        .forEach(instance -> prometheus.scrape("api-" + env, instance));
    return text
        + """
                metrics:
                  provider: prometheus
                  address: "%s"
                  selector: 'job="api-%s",version="{{version}}"'
        """
            .formatted(prometheus.address(), env);
  }

  /** Writes a catalog of service {@code api} with {@code environments} and reads it back. */
  Catalog writeCatalog(Path file, CharSequence environments) throws IOException {
    Files.writeString(file, "services:\n  api:\n    environments:\n" + environments);
    return new DocumentLoader().load(file, Catalog.class);
  }

  /** Sets v1 and v2 directly through the nginx router, as the worker's activity would. */
  void weights(Catalog catalog, String env, int v1, String reason) {
    weights(catalog, env, Map.of("v1", v1, "v2", 100 - v1), reason);
  }

  /**
   * Sets {@code weights} (and no rules, the document's server weights) directly through the nginx
   * router, as the worker's activity would; numbered by the clock, as a workflow's change is, so
   * that it outnumbers the changes before it.
   */
  void weights(Catalog catalog, String env, Map<String, Integer> weights, String reason) {
    RouteTarget target = new RouteTarget("api", env, catalog.find("api", env).orElseThrow());
    new NginxRouter(dir)
        .change(
            RouteChange.by(target, "e2e." + env, System.currentTimeMillis(), reason)
                .withWeights(weights)
                .withRules(RoutingRules.NONE)
                .withServerWeights(Map.of()));
  }

  /**
   * Starts a worker logging to {@code log}, whose relative catalog paths resolve against this
   * path's directory.
   */
  void startWorker(String log) {
    worker = WorkerProcess.start(server.address(), dir, dir.resolve(log));
  }

  /** kill -9 of the running worker. */
  void killWorker() throws InterruptedException {
    worker.kill();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {worker, nginx, prometheus, server}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception | AssertionError e) {
          System.out.println("stopping " + c.getClass().getSimpleName() + ": " + e);
        }
      }
    }
    for (AutoCloseable instance : instances) {
      instance.close();
    }
  }
}
