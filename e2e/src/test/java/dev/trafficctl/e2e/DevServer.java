package dev.trafficctl.e2e;

import dev.trafficctl.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Temporal dev server of the test's own, on free loopback ports with a persistent database,
 * managed through the project's script exactly as the demo does it.
 */
final class DevServer implements AutoCloseable {

  private final Map<String, String> env;
  private final int port;
  private final int httpPort;
  private final int uiPort;

  DevServer(Path stateDir) {
    this(stateDir, Map.of());
  }

  /**
   * With {@code more} of the script's settings, e.g. {@code TRAFFICCTL_TEMPORAL_UI_CODEC_ENDPOINT}.
   */
  DevServer(Path stateDir, Map<String, String> more) {
    this.port = Ports.free();
    this.httpPort = Ports.free();
    this.uiPort = Ports.free();
    Map<String, String> all = new HashMap<>(more);
    all.putAll(
        Map.of(
            "TRAFFICCTL_TEMPORAL_STATE", stateDir.toString(),
            "TRAFFICCTL_TEMPORAL_PORT", Integer.toString(port),
            "TRAFFICCTL_TEMPORAL_UI_PORT", Integer.toString(uiPort),
            "TRAFFICCTL_TEMPORAL_HTTP_PORT", Integer.toString(httpPort),
            "TRAFFICCTL_TEMPORAL_METRICS_PORT", Integer.toString(Ports.free())));
    this.env = Map.copyOf(all);
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** The frontend's HTTP API, e.g. {@code http://127.0.0.1:7243}. */
  String httpAddress() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The Web UI, e.g. {@code http://127.0.0.1:8233}. */
  String uiAddress() {
    return "http://127.0.0.1:" + uiPort;
  }

  void start() {
    script("start").expect(0);
  }

  void stop() {
    script("stop").expect(0);
  }

  /** Runs the Temporal CLI against this server, e.g. {@code workflow list}. */
  Run temporal(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(ProjectPaths.script("temporal-dev-server.sh").toString());
    command.add("cli");
    command.addAll(args);
    command.add("--address");
    command.add(address());
    return Run.of(command, env, ProjectPaths.root(), Duration.ofSeconds(60));
  }

  private Run script(String action) {
    return Run.of(
        List.of("bash", ProjectPaths.script("temporal-dev-server.sh").toString(), action),
        env,
        ProjectPaths.root(),
        Duration.ofMinutes(5));
  }

  @Override
  public void close() {
    stop();
  }
}
