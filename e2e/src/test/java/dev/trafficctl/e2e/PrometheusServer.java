package dev.trafficctl.e2e;

import dev.trafficctl.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Debian's prometheus through the project's script, on a free port, scraping every second. */
final class PrometheusServer implements AutoCloseable {

  private final Map<String, String> env;
  private final int port = Ports.free();

  PrometheusServer(Path state) {
    env =
        Map.of(
            "TRAFFICCTL_PROMETHEUS_STATE", state.toString(),
            "TRAFFICCTL_PROMETHEUS_PORT", Integer.toString(port),
            "TRAFFICCTL_PROMETHEUS_SCRAPE", "1s");
  }

  String address() {
    return "http://127.0.0.1:" + port;
  }

  PrometheusServer start() {
    script("start").expect(0);
    return this;
  }

  void scrape(String job, DemoInstance instance) {
    script("add-target", job, instance.version(), instance.address()).expect(0);
  }

  private Run script(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add("bash");
    command.add(ProjectPaths.script("prometheus.sh").toString());
    command.addAll(List.of(args));
    return Run.of(command, env, ProjectPaths.root(), Duration.ofMinutes(3));
  }

  @Override
  public void close() {
    script("stop");
  }
}
