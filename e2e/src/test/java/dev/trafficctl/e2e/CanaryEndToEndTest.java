package dev.trafficctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trafficctl.config.JsonMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries on a real Temporal dev server, the worker as its own process and the CLI as a
 * subprocess: a worker killed with SIGKILL mid-step, and the server restarted while a canary waits
 * for promotion. The file router records every weight change, so order and final state are checked
 * from what a GitOps pipeline would see.
 */
class CanaryEndToEndTest {

  @TempDir static Path dir;

  private static DevServer server;
  private static FakePrometheus prometheus;
  private static Cli cli;

  @BeforeAll
  static void startServer() throws IOException {
    server = new DevServer(dir.resolve("temporal"));
    server.start();
    prometheus = new FakePrometheus();
    Path catalog = dir.resolve("trafficctl.yaml");
    StringBuilder envs = new StringBuilder();
    for (String env : List.of("killed", "restarted")) {
      envs.append(
          """
                %s:
                  router: { type: file, state_dir: routes }
                  versions:
                    v1: { servers: ["127.0.0.1:18081", "127.0.0.1:18082"] }
                    v2: { servers: ["127.0.0.1:18083"] }
                  metrics:
                    provider: prometheus
                    address: "%s"
                    selector: 'job="api",version="{{version}}"'
          """
              .formatted(env, prometheus.address()));
    }
    Files.writeString(catalog, "services:\n  api:\n    environments:\n" + envs);
    cli = new Cli(server.address(), catalog);
  }

  @AfterAll
  static void stopServer() throws IOException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Path canaryDocument(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void workerKilledMidStepTheNextOneFinishesTheCanary() throws Exception {
    Path doc =
        canaryDocument(
            "canary-killed.yaml",
            """
            canary:
              api:
                steps:
                  - { traffic_percent: 10, duration: 20s }
                  - { traffic_percent: 50, duration: 10s }
                  - traffic_percent: 100
                metrics:
                  success_rate: { threshold: 99, window: 1m }
                  response_time: { threshold: 500ms, percentile: 95, window: 1m }
                analysis: { interval: 5s, minimum_requests: 100 }
            """);
    Path state = Files.createDirectories(dir.resolve("worker-state"));
    WorkerProcess first = WorkerProcess.start(server.address(), state, dir.resolve("worker-1.log"));
    cli.deployCanary("api", "killed", "v2", doc);
    cli.awaitStatus(
        "api",
        "killed",
        "step 1 holding 10%",
        Duration.ofSeconds(60),
        s ->
            s.path("step").asInt() == 1
                && s.path("weight").asInt() == 10
                && s.path("phase").asText().equals("Progressing"));

    first.kill();
    JsonNode whileDown = cli.status("api", "killed");
    assertEquals(1, whileDown.path("step").asInt(), "the memo still answers: " + whileDown);
    Run noWorker = cli.run("traffic", "canary", "status", "api", "--env", "killed");
    assertTrue(noWorker.out().contains("no worker"), noWorker.out());

    try (WorkerProcess second =
        WorkerProcess.start(server.address(), state, dir.resolve("worker-2.log"))) {
      JsonNode done =
          cli.awaitStatus(
              "api",
              "killed",
              "the canary promoted by the second worker",
              Duration.ofSeconds(120),
              s -> s.path("phase").asText().equals("Promoted"));
      assertEquals(100, done.path("weight").asInt());
      assertEquals("v1", done.path("stable_version").asText());
      List<String> outcomes = new ArrayList<>();
      done.path("steps")
          .forEach(s -> outcomes.add(s.path("weight").asInt() + ":" + s.path("outcome").asText()));
      assertEquals(List.of("10:passed", "50:passed", "100:promoted"), outcomes);
    }

    // The router saw the changes in order, once each after collapsing retries, and 100% at the end.
    assertEquals(List.of(10, 50, 100), candidateWeights(state, "killed"));
    JsonNode routes = JsonMapping.json().readTree(state.resolve("routes/killed/api.json").toFile());
    assertEquals(
        Map.of("v1", 0, "v2", 100),
        Map.of(
            "v1", routes.path("weights").path("v1").asInt(),
            "v2", routes.path("weights").path("v2").asInt()));
    assertTrue(prometheus.queries() > 0, "analyses read Prometheus");

    // Found by its search attributes, which the Web UI and `temporal` show.
    Run listed =
        server.temporal(
            List.of("workflow", "list", "--query", "TrafficService='api' AND TrafficEnv='killed'"));
    assertTrue(listed.expect(0).out().contains("killed.api"), listed.out());
    Run described = server.temporal(List.of("workflow", "describe", "-w", "killed.api"));
    for (String attribute :
        List.of(
            "TrafficService", "TrafficEnv", "TrafficStrategy", "TrafficPhase", "TrafficWeight")) {
      assertTrue(described.expect(0).out().contains(attribute), described.out());
    }
    assertTrue(described.out().contains("Promoted"), described.out());
  }

  @Test
  void serverRestartedWhilePausedPromoteStillWorks() throws Exception {
    Path doc =
        canaryDocument(
            "canary-restarted.yaml",
            """
            canary:
              api:
                steps:
                  - { traffic_percent: 20, duration: 3s }
                  - traffic_percent: 100
                auto_promote: false
                metrics:
                  error_rate: { threshold: 1, window: 1m }
                analysis: { interval: 2s, minimum_requests: 100 }
            """);
    Path state = Files.createDirectories(dir.resolve("worker-state-restart"));
    try (WorkerProcess worker =
        WorkerProcess.start(server.address(), state, dir.resolve("worker-restart.log"))) {
      cli.deployCanary("api", "restarted", "v2", doc);
      cli.awaitStatus(
          "api",
          "restarted",
          "paused for promotion",
          Duration.ofSeconds(60),
          s -> s.path("phase").asText().equals("Paused"));

      server.stop();
      cli.run("traffic", "canary", "status", "api", "--env", "restarted").expect(3);
      server.start();

      JsonNode after =
          cli.awaitStatus(
              "api",
              "restarted",
              "still paused after the restart",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("Paused"));
      assertTrue(after.path("message").asText().contains("waiting for promote"), after.toString());
      assertEquals(20, after.path("weight").asInt());

      Run promoted =
          Waits.until(
              "promote accepted once the worker is back",
              Duration.ofSeconds(60),
              () -> cli.run("traffic", "canary", "promote", "api", "--env", "restarted"),
              r -> r.exitCode() == 0);
      assertTrue(
          promoted.out().contains("Progressing") || promoted.out().contains("Promoted"),
          promoted.out());
      JsonNode done =
          cli.awaitStatus(
              "api",
              "restarted",
              "promoted",
              Duration.ofSeconds(60),
              s -> s.path("phase").asText().equals("Promoted"));
      assertEquals(100, done.path("weight").asInt());
      assertEquals("promote", done.path("actions").get(0).path("action").asText());
      assertEquals("e2e-tester", done.path("actions").get(0).path("by").asText());
    }
    assertEquals(List.of(20, 100), candidateWeights(state, "restarted"));
  }

  /** The candidate's weights from the file router's audit log, consecutive repeats collapsed. */
  private static List<Integer> candidateWeights(Path state, String env) throws IOException {
    List<Integer> weights = new ArrayList<>();
    for (String line :
        Files.readAllLines(state.resolve("routes/" + env + "/api.log"), StandardCharsets.UTF_8)) {
      int v2 = JsonMapping.json().readTree(line).path("weights").path("v2").asInt();
      if (weights.isEmpty() || weights.get(weights.size() - 1) != v2) {
        weights.add(v2);
      }
    }
    return weights;
  }
}
